package schema

import (
	"strings"
	"unicode"
)

// commonInitialisms are written in upper case in Go names, as golint and
// sqlc do: user_id -> UserID.
var commonInitialisms = map[string]bool{
	"acl": true, "api": true, "ascii": true, "cpu": true, "css": true, "dns": true,
	"eof": true, "guid": true, "html": true, "http": true, "https": true, "id": true,
	"ip": true, "json": true, "lhs": true, "qps": true, "ram": true, "rhs": true,
	"rpc": true, "sla": true, "smtp": true, "sql": true, "ssh": true, "tcp": true,
	"tls": true, "ttl": true, "udp": true, "ui": true, "uid": true, "uuid": true,
	"uri": true, "url": true, "utf8": true, "vm": true, "xml": true, "isbn": true,
}

// GoName turns a SQL or JSON name into an exported Go identifier:
// publisher_id -> PublisherID, "Order" -> Order, 2fa -> X2fa.
func GoName(name string) string {
	var b strings.Builder
	word := func(w string) {
		if w == "" {
			return
		}
		if commonInitialisms[strings.ToLower(w)] {
			b.WriteString(strings.ToUpper(w))
			return
		}
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		b.WriteString(string(rs))
	}
	start := 0
	rs := []rune(name)
	for i, c := range rs {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			word(string(rs[start:i]))
			start = i + 1
		}
	}
	word(string(rs[start:]))
	s := b.String()
	if s == "" {
		return "X"
	}
	if r := []rune(s)[0]; !unicode.IsLetter(r) {
		s = "X" + s
	}
	return s
}

// Singular is a small English singularizer for naming Go types and finding
// a relation's table from its name: authors -> author, categories ->
// category, addresses -> address.
func Singular(s string) string {
	lower := strings.ToLower(s)
	for plural, singular := range irregular {
		if strings.HasSuffix(lower, plural) {
			return s[:len(s)-len(plural)] + singular
		}
	}
	switch {
	case strings.HasSuffix(lower, "ies") && len(s) > 3:
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"),
		strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return s[:len(s)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return s
	case strings.HasSuffix(lower, "s") && len(s) > 1:
		return s[:len(s)-1]
	}
	return s
}

// irregular plurals that schemas commonly use.
var irregular = map[string]string{"children": "child", "people": "person", "men": "man", "women": "woman"}

// Plural is the inverse of Singular for the common cases.
func Plural(s string) string {
	lower := strings.ToLower(s)
	switch {
	case strings.HasSuffix(lower, "y") && len(s) > 1 && !strings.ContainsRune("aeiou", rune(lower[len(lower)-2])):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(lower, "s"), strings.HasSuffix(lower, "x"),
		strings.HasSuffix(lower, "ch"), strings.HasSuffix(lower, "sh"):
		return s + "es"
	}
	return s + "s"
}
