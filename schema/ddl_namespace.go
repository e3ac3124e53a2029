package schema

// The names of a schema's relations (tables, views, indexes) and of its
// constraints: PostgreSQL picks default names that are free in both, and
// refuses explicit ones that are taken.

// relationExists reports whether name is taken in schema's namespace of
// relations: tables, views and indexes (a primary key or unique constraint
// has an index of its name).
func (c *Catalog) relationExists(schema, name string) bool {
	if name == "" {
		return false
	}
	key := schema + "." + name
	if c.Tables[key] != nil || c.Views[key] != nil {
		return true
	}
	for _, v := range c.Views {
		for _, x := range v.indexes {
			if v.Schema == schema && x.name == name {
				return true
			}
		}
	}
	for _, t := range c.Tables {
		if t.Schema != schema {
			continue
		}
		if t.PrimaryKeyName == name || t.otherIndex(name) >= 0 {
			return true
		}
		for _, u := range t.Uniques {
			if u.Name == name {
				return true
			}
		}
	}
	return false
}

// otherIndex returns the position of the named index in t.indexes, or -1.
func (t *Table) otherIndex(name string) int {
	for i, x := range t.indexes {
		if x.name == name {
			return i
		}
	}
	return -1
}

// check returns the position of the named CHECK constraint in t.checks, or
// -1.
func (t *Table) check(name string) int {
	for i, c := range t.checks {
		if c.name == name {
			return i
		}
	}
	return -1
}

// hasConstraint reports whether t has a constraint of that name.
func (t *Table) hasConstraint(name string) bool {
	if name == "" {
		return false
	}
	if t.PrimaryKeyName == name || t.check(name) >= 0 {
		return true
	}
	if i := t.otherIndex(name); i >= 0 && t.indexes[i].constraint {
		return true
	}
	for _, u := range t.Uniques {
		if !u.Index && u.Name == name {
			return true
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == name {
			return true
		}
	}
	return false
}

// chooseIndexName is ChooseRelationName: the name of an index of relation
// rel, or of the constraint an index stands for (then also unique among
// constraints), numbering the label until the name is free.
func (c *Catalog) chooseIndexName(schema, rel string, addition string, hasAddition bool, label string, constraint bool) string {
	taken := c.names(schema, true, constraint)
	return chooseName(rel, addition, hasAddition, label, taken)
}

// chooseConstraintName is ChooseConstraintName, for constraints without an
// index (foreign keys, checks): unique among the schema's constraints.
func (c *Catalog) chooseConstraintName(t *Table, addition string, hasAddition bool, label string) string {
	return chooseName(t.Name, addition, hasAddition, label, c.names(t.Schema, false, true))
}

// names returns the names taken in schema: by relations (tables, views,
// indexes) and by constraints, as asked. Collected once per choice, they
// keep a migration that adds many keys to one table from taking cubic time.
func (c *Catalog) names(schema string, relations, constraints bool) map[string]bool {
	taken := map[string]bool{}
	if relations {
		for _, v := range c.Views {
			if v.Schema == schema {
				taken[v.Name] = true
				for _, x := range v.indexes {
					taken[x.name] = true
				}
			}
		}
	}
	for _, t := range c.Tables {
		if t.Schema != schema {
			continue
		}
		if relations {
			taken[t.Name] = true
		}
		if t.PrimaryKeyName != "" {
			taken[t.PrimaryKeyName] = true
		}
		for _, u := range t.Uniques {
			if relations || !u.Index {
				taken[u.Name] = true
			}
		}
		for _, x := range t.indexes {
			if relations || x.constraint {
				taken[x.name] = true
			}
		}
		if constraints {
			for _, fk := range t.ForeignKeys {
				taken[fk.Name] = true
			}
			for _, ck := range t.checks {
				taken[ck.name] = true
			}
		}
	}
	return taken
}
