package threeway

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/woonexo/woonexo/snapshot"
)

// WriteTable writes the plan as a readable table: a summary of ops per
// kind, target and action, then every op with its key, changed fields
// (old -> new) and reason, then held records, ambiguities, conflicts,
// refusals and flags.
func (p Plan) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	type sum struct {
		kind   snapshot.Kind
		target snapshot.Side
		action Action
	}
	counts := map[sum]int{}
	for _, op := range p.Ops {
		counts[sum{op.Kind, op.Target, op.Action}]++
	}
	keys := make([]sum, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y sum) int {
		return cmp.Or(kindRank(x.kind)-kindRank(y.kind), cmp.Compare(x.target, y.target), cmp.Compare(x.action, y.action))
	})
	fmt.Fprintf(tw, "SUMMARY\tKIND\tTARGET\tACTION\tCOUNT\n")
	for _, k := range keys {
		fmt.Fprintf(tw, "\t%s\t%s\t%s\t%d\n", k.kind, k.target, k.action, counts[k])
	}
	fmt.Fprintf(tw, "\tlinks\t\t\t%d\n\tagreed\t\t\t%d\n", len(p.Links), len(p.Agreed))
	if len(p.Ops) > 0 {
		fmt.Fprintf(tw, "\nSEQ\tKIND\tTARGET\tACTION\tKEY\tCHANGES\tREASON\n")
		for _, op := range p.Ops {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", op.Seq, op.Kind, op.Target, op.Action, op.Key,
				changesText(op), op.Reason)
		}
	}
	if len(p.Held) > 0 {
		fmt.Fprintf(tw, "\nHELD\tKIND\tSIDE\tID\tCLASS\tREASON\n")
		for _, h := range p.Held {
			fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\t%s\n", h.Kind, h.Side, h.ID, h.Class, h.Reason)
		}
	}
	if len(p.Ambiguities) > 0 {
		fmt.Fprintf(tw, "\nAMBIGUOUS\tKIND\tSIDE\tKEY\tIDS\n")
		for _, a := range p.Ambiguities {
			fmt.Fprintf(tw, "\t%s\t%s\t%s\t%s\n", a.Kind, a.Side, a.Key, snapshot.JoinIDs(a.IDs))
		}
	}
	if len(p.Conflicts) > 0 {
		fmt.Fprintf(tw, "\nCONFLICT\tKIND\tWOO/NEXO\tFIELD\tBASE\tWOOCOMMERCE\tNEXOPOS\tRULE\tWINNER\n")
		for _, c := range p.Conflicts {
			fmt.Fprintf(tw, "\t%s\t%s/%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Kind, c.Woo, c.Nexo, c.Field,
				quote(c.BaseValue), quote(c.WooValue), quote(c.NexoValue), c.Rule, c.Winner)
		}
	}
	if len(p.Refusals) > 0 {
		fmt.Fprintf(tw, "\nREFUSED\tKIND\tSIDE\tREASON\n")
		for _, r := range p.Refusals {
			fmt.Fprintf(tw, "\t%s\t%s\t%s\n", r.Kind, r.Side, r.Reason)
		}
	}
	for _, f := range p.Flags {
		fmt.Fprintf(tw, "\nFLAG\t%s\n", f)
	}
	return tw.Flush()
}

func changesText(op Op) string {
	parts := make([]string, 0, len(op.Changes))
	for _, c := range op.Changes {
		parts = append(parts, fmt.Sprintf("%s: %s -> %s", c.Field, quote(c.Old), quote(c.New)))
	}
	if len(parts) == 0 && op.Quantity != nil {
		parts = append(parts, "quantity "+op.Quantity.String())
	}
	return strings.Join(parts, ", ")
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return fmt.Sprintf("%q", s)
}

// MarshalJSON encodes the plan in its documented, stable shape (see the
// package documentation): empty lists are [], never null.
func (p Plan) MarshalJSON() ([]byte, error) {
	type plain Plan
	q := plain(p)
	q.Ops = orEmpty(q.Ops)
	q.Links = orEmpty(q.Links)
	q.Agreed = orEmpty(q.Agreed)
	q.Conflicts = orEmpty(q.Conflicts)
	q.Held = orEmpty(q.Held)
	q.Ambiguities = orEmpty(q.Ambiguities)
	q.Refusals = orEmpty(q.Refusals)
	q.Flags = orEmpty(q.Flags)
	return json.Marshal(q)
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
