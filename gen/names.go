package gen

import (
	"fmt"
	"strings"
	"unicode"
)

// Names: Go identifiers and file names derived from the config, and the
// checks that they can be declared.

// checkJSONKey refuses keys a json struct tag cannot carry, so that
// json.Marshal and the generated encoder always agree.
func checkJSONKey(key string) error {
	if key == "" {
		return fmt.Errorf("empty JSON key")
	}
	for _, c := range key {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return fmt.Errorf("JSON key %q cannot be a json struct tag name (it holds %q); rename it with as", key, c)
		}
	}
	return nil
}

// checkNames refuses Go name collisions inside each struct and between the
// package-level names of one collection.
func checkNames(m *collectionModel) error {
	var check func(n *nodeModel) error
	check = func(n *nodeModel) error {
		goNames, keys := map[string]bool{}, map[string]bool{}
		add := func(goName, key string) error {
			if !isIdent(goName) || !unicode.IsUpper(rune(goName[0])) {
				return fmt.Errorf("collection %q: type %s: Go field name %q is not an exported identifier", m.c.Name, n.Type, goName)
			}
			if goNames[goName] {
				return fmt.Errorf("collection %q: type %s: two fields are named %s", m.c.Name, n.Type, goName)
			}
			if keys[key] {
				return fmt.Errorf("collection %q: type %s: two fields have the JSON key %q", m.c.Name, n.Type, key)
			}
			goNames[goName], keys[key] = true, true
			return nil
		}
		for _, f := range n.Fields {
			if err := add(f.f.GoName, f.Key); err != nil {
				return err
			}
		}
		for _, r := range n.Rels {
			if err := add(r.GoName, r.Key); err != nil {
				return err
			}
			if err := check(r.To); err != nil {
				return err
			}
		}
		return nil
	}
	return check(m.Root)
}

// exported turns a snake_case or mixed name into a Go exported name, with
// common initialisms upper-cased: "publisher_id" -> "PublisherID".
func exported(name string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if up := strings.ToUpper(part); initialisms[up] {
			b.WriteString(up)
			continue
		}
		r := []rune(part)
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	s := b.String()
	if s == "" || !unicode.IsLetter([]rune(s)[0]) {
		s = "X" + s
	}
	return s
}

var initialisms = map[string]bool{"ID": true, "URL": true, "UUID": true, "API": true, "HTTP": true, "JSON": true, "SQL": true, "IP": true}

// unexported lowers the leading capitals of an exported name: "Book" ->
// "book", "URLMap" -> "urlMap", "ID" -> "id".
func unexported(name string) string {
	r := []rune(name)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	if i > 1 && i < len(r) {
		i-- // keep the capital that starts the next word
	}
	for j := 0; j < i; j++ {
		r[j] = unicode.ToLower(r[j])
	}
	return string(r)
}

// fileName is a safe Go file name for a collection: lower case, and never
// ending in _test or a GOOS/GOARCH word that would constrain the build.
func fileName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	s := b.String()
	if i := strings.LastIndexByte(s, '_'); i >= 0 && buildSuffix[s[i+1:]] {
		s += "_docs"
	}
	return s
}

var buildSuffix = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`test aix android darwin dragonfly freebsd hurd illumos ios js
		linux nacl netbsd openbsd plan9 solaris wasip1 windows zos 386 amd64 amd64p32 arm armbe
		arm64 arm64be loong64 mips mipsle mips64 mips64le mips64p32 mips64p32le ppc ppc64 ppc64le
		riscv riscv64 s390 s390x sparc sparc64 wasm`) {
		m[w] = true
	}
	return m
}()
