package schema

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// ParseConfig reads denorm.yaml. It walks the YAML tree itself, rather than
// unmarshalling into structs, so that every value keeps its position and
// every problem is reported, not just the first.
func ParseConfig(path string, src []byte) (*Config, ErrorList) {
	d := &decoder{file: path}
	cfg := &Config{Path: path}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		d.syntaxError(err)
		return cfg, d.errs
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			if body != nil {
				d.errorf(doc.Body, "only one YAML document is allowed")
				break
			}
			body = doc.Body
		}
	}
	if body == nil {
		d.errs.Add(Pos{File: path, Line: 1, Col: 1}, "empty config: want version, schema, package and collections")
		return cfg, d.errs
	}
	d.mapping(body, "config", map[string]func(ast.Node){
		"version":     func(n ast.Node) { cfg.Version = d.int(n) },
		"schema":      func(n ast.Node) { cfg.Schema = d.strings(n) },
		"package":     func(n ast.Node) { cfg.Package = d.pkg(n) },
		"overrides":   func(n ast.Node) { cfg.Overrides = d.overrides(n) },
		"collections": func(n ast.Node) { cfg.Collections = d.collections(n) },
	}, "version", "schema", "package", "collections")
	if cfg.Version.Set() && cfg.Version.Value != 1 {
		d.errs.Add(cfg.Version.Pos, "unsupported version %d: this denormgen reads version 1", cfg.Version.Value)
	}
	return cfg, d.errs
}

type decoder struct {
	file string
	errs ErrorList
}

func (d *decoder) pos(n ast.Node) Pos {
	if n == nil {
		return Pos{File: d.file}
	}
	tk := n.GetToken()
	if tk == nil || tk.Position == nil {
		return Pos{File: d.file}
	}
	return Pos{File: d.file, Line: tk.Position.Line, Col: tk.Position.Column}
}

func (d *decoder) errorf(n ast.Node, format string, args ...any) {
	d.errs.Add(d.pos(n), format, args...)
}

func (d *decoder) syntaxError(err error) {
	var se *yaml.SyntaxError
	if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
		p := se.Token.Position
		d.errs.Add(Pos{File: d.file, Line: p.Line, Col: p.Column}, "YAML syntax error: %s", se.Message)
		return
	}
	d.errs.Add(Pos{File: d.file, Line: 1, Col: 1}, "YAML syntax error: %v", err)
}

// unwrap looks through tags and anchors to the value node.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.TagNode:
			n = v.Value
		case *ast.AnchorNode:
			n = v.Value
		default:
			return n
		}
	}
}

// mapping walks a YAML mapping, calls the handler of each known key, and
// reports unknown keys (with a suggestion), duplicate keys and missing
// required ones.
func (d *decoder) mapping(n ast.Node, what string, handlers map[string]func(ast.Node), required ...string) {
	n = unwrap(n)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		d.errorf(n, "%s: want a mapping, got %s", what, describe(n))
		return
	}
	keys := make([]string, 0, len(handlers))
	for k := range handlers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]bool{}
	for _, mv := range values {
		key := keyString(mv.Key)
		if key == "<<" {
			d.errorf(mv.Key, "%s: merge keys (<<) are not supported", what)
			continue
		}
		h, ok := handlers[key]
		if !ok {
			msg := fmt.Sprintf("%s: unknown key %q", what, key)
			if s := Suggest(key, keys); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errs.Add(d.pos(mv.Key), "%s", msg)
			continue
		}
		if seen[key] {
			d.errorf(mv.Key, "%s: key %q given twice", what, key)
			continue
		}
		seen[key] = true
		h(mv.Value)
	}
	for _, k := range required {
		if !seen[k] {
			// Point at the mapping's first key: the node's own token is its
			// first ':', which reads oddly in a message.
			at := n
			if len(values) > 0 && values[0].Key != nil {
				at = values[0].Key
			}
			d.errorf(at, "%s: missing required key %q", what, k)
		}
	}
}

func keyString(k ast.MapKeyNode) string {
	if k == nil {
		return ""
	}
	if s, ok := unwrap(k).(*ast.StringNode); ok {
		return s.Value
	}
	return k.String()
}

func describe(n ast.Node) string {
	switch unwrap(n).(type) {
	case nil:
		return "nothing"
	case *ast.NullNode:
		return "null"
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.IntegerNode:
		return "an integer"
	case *ast.FloatNode:
		return "a number"
	case *ast.BoolNode:
		return "a boolean"
	case *ast.AliasNode:
		return "an alias"
	}
	return "a " + strings.ToLower(n.Type().String())
}

// str accepts a scalar and returns its text. Numbers are accepted as text
// because a column or a type can look like one to YAML.
func (d *decoder) str(n ast.Node) Str {
	v := unwrap(n)
	switch s := v.(type) {
	case *ast.StringNode:
		return Str{Value: s.Value, Pos: d.pos(n)}
	case *ast.LiteralNode:
		return Str{Value: s.Value.Value, Pos: d.pos(n)}
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode:
		return Str{Value: v.GetToken().Value, Pos: d.pos(n)}
	}
	d.errorf(n, "want a string, got %s", describe(n))
	return Str{Pos: d.pos(n)}
}

func (d *decoder) int(n ast.Node) Int {
	if i, ok := unwrap(n).(*ast.IntegerNode); ok {
		if v, err := strconv.Atoi(i.GetToken().Value); err == nil {
			return Int{Value: v, Pos: d.pos(n)}
		}
	}
	d.errorf(n, "want an integer, got %s", describe(n))
	return Int{}
}

func (d *decoder) bool(n ast.Node) bool {
	if b, ok := unwrap(n).(*ast.BoolNode); ok {
		return b.Value
	}
	d.errorf(n, "want true or false, got %s", describe(n))
	return false
}

// strings accepts one string or a list of them.
func (d *decoder) strings(n ast.Node) []Str {
	seq, ok := unwrap(n).(*ast.SequenceNode)
	if !ok {
		if s := d.str(n); s.Value != "" {
			return []Str{s}
		}
		return nil
	}
	out := make([]Str, 0, len(seq.Values))
	for _, v := range seq.Values {
		if s := d.str(v); s.Value != "" {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) list(n ast.Node, what string) []ast.Node {
	switch v := unwrap(n).(type) {
	case *ast.SequenceNode:
		return v.Values
	case *ast.NullNode:
		return nil
	}
	d.errorf(n, "%s: want a list, got %s", what, describe(n))
	return nil
}

func (d *decoder) pkg(n ast.Node) PackageConfig {
	p := PackageConfig{Pos: d.pos(n)}
	d.mapping(n, "package", map[string]func(ast.Node){
		"name": func(n ast.Node) { p.Name = d.str(n) },
		"out":  func(n ast.Node) { p.Out = d.str(n) },
	}, "name", "out")
	return p
}

func (d *decoder) overrides(n ast.Node) []*OverrideConfig {
	var out []*OverrideConfig
	for _, item := range d.list(n, "overrides") {
		o := &OverrideConfig{Pos: d.pos(item)}
		d.mapping(item, "override", map[string]func(ast.Node){
			"db_type":  func(n ast.Node) { o.DBType = d.str(n) },
			"column":   func(n ast.Node) { o.Column = d.str(n) },
			"go_type":  func(n ast.Node) { o.GoType = d.str(n) },
			"nullable": func(n ast.Node) { o.Nullable = d.bool(n) },
		}, "go_type")
		switch {
		case o.DBType.Set() == o.Column.Set():
			d.errorf(item, "override: want exactly one of db_type and column")
		case o.Column.Set() && o.Nullable:
			d.errs.Add(o.Column.Pos, "override: nullable applies to db_type overrides only")
		}
		out = append(out, o)
	}
	return out
}

func (d *decoder) collections(n ast.Node) []*CollectionConfig {
	var out []*CollectionConfig
	for _, item := range d.list(n, "collections") {
		c := &CollectionConfig{Pos: d.pos(item)}
		what := "collection"
		if name := findKey(item, "name"); name != "" {
			what = fmt.Sprintf("collection %q", name)
		}
		d.mapping(item, what, map[string]func(ast.Node){
			"name":      func(n ast.Node) { c.Name = d.str(n) },
			"table":     func(n ast.Node) { c.Table = d.str(n) },
			"type":      func(n ast.Node) { c.Type = d.str(n) },
			"where":     func(n ast.Node) { c.Where = d.str(n) },
			"fields":    func(n ast.Node) { c.Fields = d.fields(n, what) },
			"relations": func(n ast.Node) { c.Relations = d.relations(n, what) },
		}, "name", "table")
		out = append(out, c)
	}
	return out
}

// findKey returns the string value of key in a mapping node, for naming
// the thing in messages before it is decoded.
func findKey(n ast.Node, key string) string {
	var values []*ast.MappingValueNode
	switch m := unwrap(n).(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	}
	for _, mv := range values {
		if keyString(mv.Key) == key {
			if s, ok := unwrap(mv.Value).(*ast.StringNode); ok {
				return s.Value
			}
		}
	}
	return ""
}

func (d *decoder) fields(n ast.Node, what string) []*FieldConfig {
	var out []*FieldConfig
	for _, item := range d.list(n, what+": fields") {
		f := &FieldConfig{Pos: d.pos(item)}
		switch unwrap(item).(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			d.mapping(item, what+": field", map[string]func(ast.Node){
				"column": func(n ast.Node) { f.Column = d.str(n) },
				"as":     func(n ast.Node) { f.As = d.str(n) },
			}, "column")
		default:
			f.Column = d.str(item)
		}
		if f.Column.Value != "" {
			out = append(out, f)
		}
	}
	return out
}

func (d *decoder) relations(n ast.Node, what string) []*RelationConfig {
	n = unwrap(n)
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	case *ast.NullNode:
		return nil
	default:
		d.errorf(n, "%s: relations: want a mapping of relation names, got %s", what, describe(n))
		return nil
	}
	var out []*RelationConfig
	for _, mv := range values {
		r := &RelationConfig{Name: Str{Value: keyString(mv.Key), Pos: d.pos(mv.Key)}, Pos: d.pos(mv.Key)}
		rwhat := fmt.Sprintf("%s: relation %q", what, r.Name.Value)
		if _, isNull := unwrap(mv.Value).(*ast.NullNode); !isNull {
			d.mapping(mv.Value, rwhat, map[string]func(ast.Node){
				"table":       func(n ast.Node) { r.Table = d.str(n) },
				"through":     func(n ast.Node) { r.Through = d.str(n) },
				"foreign_key": func(n ast.Node) { r.ForeignKey = d.strings(n) },
				"references":  func(n ast.Node) { r.References = d.str(n) },
				"kind":        func(n ast.Node) { r.Kind = d.str(n) },
				"fields":      func(n ast.Node) { r.Fields = d.fields(n, rwhat) },
				"order_by":    func(n ast.Node) { r.OrderBy = d.strings(n) },
				"limit":       func(n ast.Node) { r.Limit = d.int(n) },
				"flatten":     func(n ast.Node) { r.Flatten = d.bool(n) },
				"relations":   func(n ast.Node) { r.Relations = d.relations(n, rwhat) },
			})
		}
		out = append(out, r)
	}
	return out
}
