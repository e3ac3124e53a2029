package schema

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/denormgen/denormgen/internal/pgtest"
)

// TestApplyMatchesPostgres runs every valid test case's DDL in a real
// PostgreSQL database and checks that Apply builds the catalog PostgreSQL
// itself ends up with; and that PostgreSQL rejects the DDL of the cases that
// expect errors. DDL is transactional, so each case runs in a transaction
// that is rolled back, and all share one database.
func TestApplyMatchesPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	pool := pgtest.New(t)
	ctx := context.Background()
	for _, tc := range append(allDDLCases(), folderCases(t)...) {
		if tc.notInPostgres != "" {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			tx, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			var execErr error
			for _, f := range tc.files {
				// Simple protocol (no arguments): a file may hold many statements.
				// The server knows neither goose annotations nor psql commands.
				if _, execErr = tx.Exec(ctx, blankPsqlCommands(blankGooseDown(f.src))); execErr != nil {
					break
				}
			}
			if tc.errors != nil {
				if execErr == nil {
					t.Fatalf("PostgreSQL accepts the DDL that Apply rejects with %q", tc.errors)
				}
				return
			}
			if execErr != nil {
				t.Fatalf("PostgreSQL rejects the DDL: %v", execErr)
			}
			c, _ := applyFiles(tc.files)
			if diff := cmp.Diff(dumpCatalog(introspectCatalog(t, tx), false), dumpCatalog(c, false)); diff != "" {
				t.Errorf("catalog (-postgres +Apply):\n%s", diff)
			}
		})
	}
}

// introspectCatalog reads the catalog of the database's user schemas from
// pg_catalog, in the terms of Catalog.
func introspectCatalog(t *testing.T, pool pgx.Tx) *Catalog {
	t.Helper()
	ctx := context.Background()
	c := NewCatalog()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("introspect: %v", err)
		}
	}
	const userSchema = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'`

	type pgType struct {
		schema, name   string
		kind, category string
		base, elem     uint32
		notNull        bool
		ndims          int32
	}
	types := map[uint32]pgType{}
	rows, err := pool.Query(ctx, `SELECT t.oid, n.nspname, t.typname, t.typtype::text, t.typcategory::text, t.typbasetype, t.typelem, t.typnotnull, t.typndims
		FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace`)
	must(err)
	for rows.Next() {
		var oid uint32
		var pt pgType
		must(rows.Scan(&oid, &pt.schema, &pt.name, &pt.kind, &pt.category, &pt.base, &pt.elem, &pt.notNull, &pt.ndims))
		types[oid] = pt
	}
	must(rows.Err())

	rows, err = pool.Query(ctx, `SELECT n.nspname, t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
		FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
		GROUP BY 1, 2`)
	must(err)
	for rows.Next() {
		e := &Enum{}
		must(rows.Scan(&e.Schema, &e.Name, &e.Labels))
		c.Enums[e.Schema+"."+e.Name] = e
	}
	must(rows.Err())

	// typeOf resolves a type the way resolveType does: domains to their base,
	// arrays to their element and number of dimensions.
	var typeOf func(oid uint32, dims int) (Type, bool)
	typeOf = func(oid uint32, dims int) (Type, bool) {
		pt := types[oid]
		switch {
		case pt.kind == "d":
			typ, notNull := typeOf(pt.base, int(pt.ndims))
			typ.ArrayDims += dims
			typ.Domain = pt.schema + "." + pt.name
			return typ, (notNull || pt.notNull) && dims == 0
		case pt.category == "A" && pt.elem != 0:
			typ, _ := typeOf(pt.elem, 0)
			typ.ArrayDims += max(dims, 1)
			return typ, false
		case pt.kind == "e":
			key := pt.schema + "." + pt.name
			return Type{Name: key, ArrayDims: dims, Enum: c.Enums[key]}, false
		case pt.schema == "pg_catalog":
			return Type{Name: pt.name, ArrayDims: dims}, false
		}
		return Type{Name: pt.schema + "." + pt.name, ArrayDims: dims}, false
	}
	for oid, pt := range types {
		if pt.kind == "d" && pt.schema != "pg_catalog" && pt.schema != "information_schema" {
			d := &Domain{Schema: pt.schema, Name: pt.name}
			d.Base, d.NotNull = typeOf(pt.base, int(pt.ndims))
			d.NotNull = d.NotNull || pt.notNull
			_ = oid
			c.Domains[pt.schema+"."+pt.name] = d
		}
	}

	rows, err = pool.Query(ctx, `SELECT c.oid, n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'p', 'v', 'm') AND `+userSchema)
	must(err)
	oids := map[uint32]*Table{}
	views := map[uint32]*View{}
	for rows.Next() {
		var oid uint32
		var kind string
		tb := &Table{}
		must(rows.Scan(&oid, &tb.Schema, &tb.Name, &kind))
		if kind == "v" || kind == "m" {
			v := &View{Schema: tb.Schema, Name: tb.Name, Kind: map[string]string{"v": "view", "m": "materialized view"}[kind]}
			views[oid] = v
			c.Views[tb.QualifiedName()] = v
			continue
		}
		oids[oid] = tb
		c.Tables[tb.QualifiedName()] = tb
	}
	must(rows.Err())
	for oid, v := range views {
		rows, err := pool.Query(ctx, `SELECT c.relname, i.indisunique FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = $1`, oid)
		must(err)
		for rows.Next() {
			var x otherIndex
			must(rows.Scan(&x.name, &x.unique))
			v.indexes = append(v.indexes, x)
		}
		must(rows.Err())
	}

	for oid, tb := range oids {
		names := map[int16]string{}
		rows, err := pool.Query(ctx, `SELECT attnum, attname, atttypid, attnotnull, attndims FROM pg_attribute
			WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`, oid)
		must(err)
		for rows.Next() {
			var num int16
			var typ uint32
			var dims int32
			col := &Column{}
			must(rows.Scan(&num, &col.Name, &typ, &col.NotNull, &dims))
			var notNull bool
			col.Type, notNull = typeOf(typ, int(dims))
			col.NotNull = col.NotNull || notNull
			names[num] = col.Name
			tb.Columns = append(tb.Columns, col)
		}
		must(rows.Err())
		colNames := func(nums []int16) []string {
			var out []string
			for _, n := range nums {
				out = append(out, names[n])
			}
			return out
		}

		rows, err = pool.Query(ctx, `SELECT p.inhparent, c.relispartition FROM pg_inherits p JOIN pg_class c ON c.oid = p.inhrelid
			WHERE p.inhrelid = $1 ORDER BY p.inhseqno`, oid)
		must(err)
		var parents []uint32
		for rows.Next() {
			var parent uint32
			must(rows.Scan(&parent, &tb.Partition))
			parents = append(parents, parent)
		}
		must(rows.Err())
		for _, p := range parents {
			tb.Inherits = append(tb.Inherits, oids[p].QualifiedName())
		}

		// The foreign keys PostgreSQL adds from a table to each partition of
		// a partitioned table it references are its own business.
		rows, err = pool.Query(ctx, `SELECT conname, contype::text, coalesce(conkey, '{}'), confrelid, coalesce(confkey, '{}') FROM pg_constraint c
			WHERE conrelid = $1 AND contype IN ('p', 'u', 'f', 'c', 'x')
			AND NOT (contype = 'f' AND conparentid <> 0 AND conrelid = (SELECT conrelid FROM pg_constraint p WHERE p.oid = c.conparentid))
			ORDER BY oid`, oid)
		must(err)
		type fkRow struct {
			name string
			cols []int16
			ref  uint32
			refs []int16
		}
		var fks []fkRow
		for rows.Next() {
			var kind string
			var r fkRow
			must(rows.Scan(&r.name, &kind, &r.cols, &r.ref, &r.refs))
			switch kind {
			case "p":
				tb.PrimaryKey, tb.PrimaryKeyName = colNames(r.cols), r.name
			case "u":
				tb.Uniques = append(tb.Uniques, &Unique{Name: r.name, Columns: colNames(r.cols)})
			case "f":
				fks = append(fks, r)
			case "c":
				tb.checks = append(tb.checks, check{name: r.name})
			case "x":
				tb.indexes = append(tb.indexes, otherIndex{name: r.name, constraint: true})
			}
		}
		must(rows.Err())
		rows, err = pool.Query(ctx, `SELECT c.relname, i.indkey::int2[], i.indisunique, i.indpred IS NULL AND i.indexprs IS NULL FROM pg_index i
			JOIN pg_class c ON c.oid = i.indexrelid
			WHERE i.indrelid = $1 AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = i.indexrelid AND conrelid = $1)`, oid)
		must(err)
		for rows.Next() {
			var name string
			var cols []int16
			var unique, plain bool
			must(rows.Scan(&name, &cols, &unique, &plain))
			if unique && plain {
				tb.Uniques = append(tb.Uniques, &Unique{Name: name, Columns: colNames(cols), Index: true})
			} else {
				tb.indexes = append(tb.indexes, otherIndex{name: name, unique: unique})
			}
		}
		must(rows.Err())
		for _, r := range fks {
			fk := &ForeignKey{Name: r.name, Columns: colNames(r.cols), RefTable: oids[r.ref].QualifiedName(), Declared: true}
			// Referenced column names need the referenced table's attributes.
			for _, n := range r.refs {
				var name string
				must(pool.QueryRow(ctx, `SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum = $2`, r.ref, n).Scan(&name))
				fk.RefColumns = append(fk.RefColumns, name)
			}
			tb.ForeignKeys = append(tb.ForeignKeys, fk)
		}
	}
	return c
}
