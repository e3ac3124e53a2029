package gen

import (
	"bytes"
	"go/format"
	"strconv"
	"strings"
)

// groupImports splits the import block jennifer renders (one sorted list)
// into the standard library and the rest, as goimports and reviewers expect,
// without running goimports (slow, and dependent on the environment).
func groupImports(src []byte) ([]byte, error) {
	start := bytes.Index(src, []byte("\nimport (\n"))
	if start < 0 {
		return src, nil
	}
	body := start + len("\nimport (\n")
	end := bytes.Index(src[body:], []byte("\n)\n"))
	if end < 0 {
		return src, nil
	}
	var std, other []string
	for _, line := range strings.Split(string(src[body:body+end]), "\n") {
		spec := strings.TrimSpace(line)
		if spec == "" {
			continue
		}
		quoted := spec[strings.IndexByte(spec, '"'):]
		path, err := strconv.Unquote(quoted)
		if err != nil {
			return nil, err
		}
		if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
			other = append(other, "\t"+spec)
		} else {
			std = append(std, "\t"+spec)
		}
	}
	block := strings.Join(std, "\n")
	if len(std) > 0 && len(other) > 0 {
		block += "\n\n"
	}
	block += strings.Join(other, "\n")
	var out bytes.Buffer
	out.Write(src[:body])
	out.WriteString(block)
	out.Write(src[body+end:])
	return format.Source(out.Bytes())
}
