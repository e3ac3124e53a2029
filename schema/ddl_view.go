package schema

import pg "github.com/pganalyze/pg_query_go/v6"

// createView records a view by name (CREATE [OR REPLACE] VIEW).
func (a *applier) createView(s *pg.ViewStmt) {
	rv := s.GetView()
	if rv.GetRelpersistence() == "t" {
		return
	}
	n := rangeVarName(rv)
	if v := a.c.Views[n.key()]; v != nil && v.Kind == "view" && s.GetReplace() {
		return
	}
	a.addView(n, "view", false)
}

// createTableAs records a materialized view or a table created AS a query
// (or EXECUTE) by name: its columns come from a query the catalog does not
// analyze.
func (a *applier) createTableAs(s *pg.CreateTableAsStmt) {
	rv := s.GetInto().GetRel()
	if rv.GetRelpersistence() == "t" {
		return
	}
	kind := "table"
	if s.GetObjtype() == pg.ObjectType_OBJECT_MATVIEW {
		kind = "materialized view"
	}
	a.addView(rangeVarName(rv), kind, s.GetIfNotExists())
}

func (a *applier) addView(n objName, kind string, ifNotExists bool) {
	if a.c.relationExists(n.schema, n.name) {
		if !ifNotExists {
			a.errorf(n.loc, "relation %q already exists", n)
		}
		return
	}
	a.c.Views[n.key()] = &View{Schema: n.schema, Name: n.name, Kind: kind, Pos: a.pos(a.stmt)}
}

// dropViews applies DROP VIEW and DROP MATERIALIZED VIEW. An unknown name
// is no error: the view may have been created where the catalog does not
// look (a temporary view, a function, a DO block).
func (a *applier) dropViews(s *pg.DropStmt) {
	kind := "view"
	if s.GetRemoveType() == pg.ObjectType_OBJECT_MATVIEW {
		kind = "materialized view"
	}
	for _, o := range s.GetObjects() {
		n := a.listName(o.GetList().GetItems())
		if v := a.c.Views[n.key()]; v != nil && v.Kind == kind {
			delete(a.c.Views, n.key())
		}
	}
}

// moveView renames a view or moves it to another schema; loc is the new
// name's.
func (a *applier) moveView(v *View, schema, name string, loc int32) {
	if a.c.relationExists(schema, name) {
		a.errorf(loc, "relation %q already exists", displayName(schema, name))
		return
	}
	delete(a.c.Views, v.Schema+"."+v.Name)
	v.Schema, v.Name = schema, name
	a.c.Views[v.Schema+"."+v.Name] = v
}
