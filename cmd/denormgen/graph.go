package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/denormgen/denormgen/schema"
)

func runGraph(e *env, args []string) int {
	var format string
	config, code, ok := e.flags("graph", args, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "mermaid", "mermaid or dot")
	})
	if !ok {
		return code
	}
	if format != "mermaid" && format != "dot" {
		fmt.Fprintf(e.stderr, "denormgen graph: unknown format %q: want mermaid or dot\n", format)
		return exitUsage
	}
	g, ok := e.load(config)
	if !ok {
		return exitInvalid
	}
	if format == "dot" {
		writeDOT(e.stdout, g)
	} else {
		writeMermaid(e.stdout, g)
	}
	return exitOK
}

// graphNode is one document level, named by its path from the collection.
type graphNode struct {
	id, label string
}

type graphEdge struct {
	from, to, label string
}

// walk flattens a collection's tree into nodes and labelled edges.
func walk(c *schema.Collection) ([]graphNode, []graphEdge) {
	var nodes []graphNode
	var edges []graphEdge
	var visit func(n *schema.Node, id string)
	visit = func(n *schema.Node, id string) {
		fields := make([]string, len(n.Fields))
		for i, f := range n.Fields {
			fields[i] = f.Key
		}
		nodes = append(nodes, graphNode{id, n.Table.Name + ": " + strings.Join(fields, ", ")})
		for _, r := range n.Relations {
			child := id + "_" + sanitize(r.Name)
			label := r.Name + " (" + r.Kind.String()
			if r.Through != nil {
				label += " via " + r.Through.Name
			}
			edges = append(edges, graphEdge{id, child, label + ")"})
			visit(r.To, child)
		}
	}
	visit(c.Root, sanitize(c.Name))
	return nodes, edges
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, s)
}

func writeMermaid(w io.Writer, g *schema.Graph) {
	fmt.Fprintln(w, "flowchart LR")
	for _, c := range g.Collections {
		nodes, edges := walk(c)
		fmt.Fprintf(w, "  subgraph %s_collection[\"collection %s (%s)\"]\n", sanitize(c.Name), c.Name, c.Type)
		for _, n := range nodes {
			fmt.Fprintf(w, "    %s[\"%s\"]\n", n.id, strings.ReplaceAll(n.label, `"`, "#quot;"))
		}
		for _, ed := range edges {
			fmt.Fprintf(w, "    %s -- \"%s\" --> %s\n", ed.from, ed.label, ed.to)
		}
		fmt.Fprintln(w, "  end")
	}
}

func writeDOT(w io.Writer, g *schema.Graph) {
	fmt.Fprintln(w, "digraph denorm {")
	fmt.Fprintln(w, "  rankdir=LR;")
	fmt.Fprintln(w, "  node [shape=box];")
	for _, c := range g.Collections {
		nodes, edges := walk(c)
		fmt.Fprintf(w, "  subgraph cluster_%s {\n", sanitize(c.Name))
		fmt.Fprintf(w, "    label=%q;\n", "collection "+c.Name+" ("+c.Type+")")
		for _, n := range nodes {
			fmt.Fprintf(w, "    %s [label=%q];\n", n.id, n.label)
		}
		for _, ed := range edges {
			fmt.Fprintf(w, "    %s -> %s [label=%q];\n", ed.from, ed.to, ed.label)
		}
		fmt.Fprintln(w, "  }")
	}
	fmt.Fprintln(w, "}")
}
