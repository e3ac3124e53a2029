package denorm

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"
)

// The Append* functions are the building blocks of the generated AppendJSON
// methods. Each one writes exactly what encoding/json's Marshal writes for the
// same Go value (HTML escaping included), so that a document encodes to the
// same bytes whether a user calls json.Marshal on it or the Syncer builds it,
// but without reflection.

const hexDigits = "0123456789abcdef"

// htmlSafe marks the ASCII bytes encoding/json copies as they are.
var htmlSafe = func() (s [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		s[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return s
}()

// AppendString appends s as a JSON string.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			// Valid JSON, but not valid JavaScript: encoding/json escapes them.
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// AppendFloat appends f as encoding/json does for a float of the given bit
// size (32 or 64). NaN and infinities have no JSON form: it fails as
// json.Marshal does.
func AppendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, fmt.Errorf("json: unsupported value: %s", strconv.FormatFloat(f, 'g', -1, bits))
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// Shorten e-09 to e-9, as encoding/json does.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// AppendNumber appends an exact decimal (PostgreSQL numeric as text) as a
// JSON number. NaN and infinities fail, as they do in json.Marshal.
func AppendNumber(b []byte, n json.Number) ([]byte, error) {
	if n == "" {
		return append(b, '0'), nil
	}
	if !isNumber(string(n)) {
		return b, fmt.Errorf("json: invalid number literal %q", string(n))
	}
	return append(b, n...), nil
}

// isNumber reports whether s is a JSON number literal.
func isNumber(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	digits := func() int {
		n := 0
		for n < len(s) && '0' <= s[n] && s[n] <= '9' {
			n++
		}
		s = s[n:]
		return n
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case digits() == 0:
		return false
	}
	if s != "" && s[0] == '.' {
		s = s[1:]
		if digits() == 0 {
			return false
		}
	}
	if s != "" && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			s = s[1:]
		}
		if digits() == 0 {
			return false
		}
	}
	return s == ""
}

// AppendTime appends t in RFC 3339 with nanoseconds, as time.Time's
// MarshalJSON does, and fails where it fails (years outside 0..9999).
func AppendTime(b []byte, t time.Time) ([]byte, error) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, fmt.Errorf("json: error calling MarshalJSON for type time.Time: year %d outside of range [0,9999]", y)
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), nil
}

// AppendDate appends d as pgtype.Date's MarshalJSON does: "YYYY-MM-DD",
// "infinity", "-infinity" or null.
func AppendDate(b []byte, d pgtype.Date) []byte {
	if !d.Valid {
		return append(b, "null"...)
	}
	switch d.InfinityModifier {
	case pgtype.Infinity:
		return append(b, `"infinity"`...)
	case pgtype.NegativeInfinity:
		return append(b, `"-infinity"`...)
	}
	b = append(b, '"')
	b = d.Time.AppendFormat(b, "2006-01-02")
	return append(b, '"')
}

// AppendBytes appends p as a base64 JSON string, or null for a nil slice.
func AppendBytes(b []byte, p []byte) []byte {
	if p == nil {
		return append(b, "null"...)
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, p)
	return append(b, '"')
}

// AppendRaw appends embedded JSON (a json or jsonb column) compacted and
// HTML-escaped, as json.Marshal does with a json.RawMessage; nil is null.
func AppendRaw(b []byte, raw json.RawMessage) ([]byte, error) {
	if raw == nil {
		return append(b, "null"...), nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return b, fmt.Errorf("json: embedded JSON: %w", err)
	}
	buf := bytes.NewBuffer(b)
	json.HTMLEscape(buf, compact.Bytes())
	return buf.Bytes(), nil
}

// AppendMarshal appends v through json.Marshal: the fallback for Go types the
// generator does not know (user type overrides).
func AppendMarshal(b []byte, v any) ([]byte, error) {
	p, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, p...), nil
}
