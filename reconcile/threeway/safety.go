package threeway

import (
	"fmt"

	"github.com/woonexo/woonexo/snapshot"
)

// checkListings refuses a kind that failed to read on either side, and
// stops creations and deletions of a kind whose complete listing came back
// empty while links of it exist: an empty listing is never "all gone".
func (b *builder) checkListings() {
	for _, kind := range snapshot.Kinds {
		for _, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			s := b.snap(side)
			if reason, bad := s.Failed[kind]; bad {
				b.plan.Refusals = append(b.plan.Refusals, Refusal{Kind: kind, Side: side,
					Reason: "listing failed, kind not acted upon: " + reason})
				continue
			}
			links := b.idx.linkCounts[kind]
			if kind != snapshot.KindPaymentMethod && s.Complete[kind] && b.count(side, kind) == 0 && links > 0 {
				b.noCreate[kind], b.noDelete[kind] = true, true
				b.plan.Refusals = append(b.plan.Refusals, Refusal{Kind: kind, Side: side, Total: links,
					Reason: fmt.Sprintf("complete listing is empty while %d links exist: creations and deletions aborted", links)})
			}
		}
	}
}

// limitDeletions refuses a kind's deletions on a side above MaxDelete
// unless ForceDelete.
func (b *builder) limitDeletions() {
	type ks struct {
		kind snapshot.Kind
		side snapshot.Side
	}
	counts := map[ks]int{}
	for _, op := range b.ops {
		if op.Action == ActionDelete {
			counts[ks{op.Kind, op.Target}]++
		}
	}
	refused := map[ks]bool{}
	for _, kind := range snapshot.Kinds {
		for _, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			n, total := counts[ks{kind, side}], b.idx.linkCounts[kind]
			if n == 0 {
				continue
			}
			md := b.pol.MaxDelete
			pct := 100 * float64(n) / float64(max(total, 1))
			var why string
			switch {
			case md.Count > 0 && n > md.Count:
				why = fmt.Sprintf("%d deletions exceed max_delete count %d", n, md.Count)
			case md.Percent > 0 && pct > md.Percent:
				why = fmt.Sprintf("%d deletions are %.1f%% of %d links, above max_delete %.1f%%", n, pct, total, md.Percent)
			default:
				continue
			}
			if b.pol.ForceDelete {
				b.plan.Flags = append(b.plan.Flags, fmt.Sprintf("%s on %s: %s; forced", kind, side, why))
				continue
			}
			refused[ks{kind, side}] = true
			b.plan.Refusals = append(b.plan.Refusals, Refusal{Kind: kind, Side: side, Count: n, Total: total,
				Reason: why + "; refused (force to allow once)"})
		}
	}
	if len(refused) == 0 {
		return
	}
	kept := b.ops[:0]
	for _, op := range b.ops {
		if op.Action == ActionDelete && refused[ks{op.Kind, op.Target}] {
			continue
		}
		kept = append(kept, op)
	}
	b.ops = kept
}

// flagMassChange flags kinds where more than MaxChangePercent of the links
// change at once.
func (b *builder) flagMassChange() {
	if b.pol.MaxChangePercent <= 0 {
		return
	}
	dels := map[snapshot.Kind]int{}
	for _, op := range b.ops {
		if op.Action == ActionDelete {
			dels[op.Kind]++
		}
	}
	for _, kind := range snapshot.Kinds {
		total := b.idx.linkCounts[kind]
		n := b.plan.Stats.Changed[kind] + dels[kind]
		if total == 0 || n == 0 {
			continue
		}
		if pct := 100 * float64(n) / float64(total); pct > b.pol.MaxChangePercent {
			b.plan.Flags = append(b.plan.Flags, fmt.Sprintf("%s: %d of %d linked records (%.1f%%) change at once, above %.1f%%",
				kind, n, total, pct, b.pol.MaxChangePercent))
		}
	}
}
