package reconcile

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// metaLastFull is the state-file meta key holding the time of the last
// successful full listing (RFC 3339).
const metaLastFull = "last_full_listing"

// metaPastBefore is the meta key holding the time before which orders are
// the shop's history (RFC 3339; "" = none): set once, by the first sync,
// to its start less Options.PastOrdersWindow, so a first sync never replays years
// of orders (on NexoPOS one detail request each). A state file that held
// orders before the key existed gets "" and keeps following every order.
const metaPastBefore = "orders_past_before"

// defaultPastOrdersWindow is how far before the first sync orders are still
// imported.
const defaultPastOrdersWindow = 24 * time.Hour

// view is one cycle's picture of both sides: what was stored, merged with
// what was read.
type view struct {
	woo, nexo snapshot.Snapshot
	// readOK lists, per side, the kinds read without failure this cycle.
	readOK map[snapshot.Side]map[snapshot.Kind]bool
	// pastBefore is the orders' history limit; newPast says persist
	// stores it (the first cycle).
	pastBefore time.Time
	newPast    bool
}

func (v *view) side(s snapshot.Side) *snapshot.Snapshot {
	if s == snapshot.WooCommerce {
		return &v.woo
	}
	return &v.nexo
}

// readBoth snapshots both sides concurrently and merges each reading into
// what the state file holds.
func (r *Reconciler) readBoth(ctx context.Context, req RunRequest, rep *Report) (*view, error) {
	var stored [2]snapshot.Snapshot
	var wooReq, nexoReq ReadRequest
	var pastBefore time.Time
	newPast := false
	full := req.Full
	err := r.state.View(func(tx Tx) error {
		var err error
		if stored[0], err = tx.LoadSnapshot(snapshot.WooCommerce); err != nil {
			return err
		}
		if stored[1], err = tx.LoadSnapshot(snapshot.NexoPOS); err != nil {
			return err
		}
		lastFull, hadFull := tx.Meta(metaLastFull)
		switch {
		case !hadFull:
			full = true
		case req.FullDue != nil:
			at, err := time.Parse(time.RFC3339, lastFull)
			full = full || err != nil || req.FullDue(at)
		}
		if v, ok := tx.Meta(metaPastBefore); ok {
			pastBefore, _ = time.Parse(time.RFC3339, v)
		} else {
			newPast = true
			if !hadFull && len(stored[0].Orders) == 0 && len(stored[1].Orders) == 0 {
				pastBefore = rep.Started.Add(-r.opts.PastOrdersWindow)
			}
		}
		wooReq.Since = map[snapshot.Kind]time.Time{}
		for _, k := range []snapshot.Kind{snapshot.KindProduct, snapshot.KindOrder, snapshot.KindCustomer} {
			at, ok := tx.Cursor(snapshot.WooCommerce, k)
			if !ok {
				full = true
			}
			wooReq.Since[k] = at
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load state: %w", err)
	}
	wooReq.Full, nexoReq.Full, rep.Full = full, full, full
	wooReq.PastBefore, nexoReq.PastBefore = pastBefore, pastBefore
	nexoReq.KnownOrders = knownOrders(stored[1].Orders)

	var read [2]snapshot.Snapshot
	var readErr [2]error
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { read[0], readErr[0] = r.woo.Read(gctx, wooReq); return nil })
	g.Go(func() error { read[1], readErr[1] = r.nexo.Read(gctx, nexoReq); return nil })
	_ = g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	// NexoPOS answers only new and unsettled orders (settled known ones
	// are not read again), so its order listing is never the whole set:
	// laid over what is stored, never in place of it.
	if len(nexoReq.KnownOrders) > 0 {
		delete(read[1].Complete, snapshot.KindOrder)
	}

	v := &view{readOK: map[snapshot.Side]map[snapshot.Kind]bool{}, pastBefore: pastBefore, newPast: newPast}
	for i, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
		if readErr[i] != nil {
			read[i] = snapshot.Snapshot{Side: side, Failed: map[snapshot.Kind]string{}}
			for _, k := range snapshot.Kinds {
				read[i].Failed[k] = fmt.Sprintf("%s: %v", kindOf(readErr[i]), readErr[i])
			}
		}
		read[i].Side = side
		*v.side(side) = merge(stored[i], read[i])
		v.readOK[side] = map[snapshot.Kind]bool{}
		for _, k := range snapshot.Kinds {
			if _, failed := read[i].Failed[k]; !failed {
				v.readOK[side][k] = true
			} else {
				if rep.ReadFailures == nil {
					rep.ReadFailures = map[snapshot.Side]map[snapshot.Kind]string{}
				}
				if rep.ReadFailures[side] == nil {
					rep.ReadFailures[side] = map[snapshot.Kind]string{}
				}
				rep.ReadFailures[side][k] = read[i].Failed[k]
			}
		}
		r.progress("read "+string(side), 1, 1)
	}
	return v, nil
}

// knownOrders lists the NexoPOS orders held, each with the status held
// (RawStatus): the connector compares it with the status its listing shows
// and decides which orders to read again.
func knownOrders(orders []snapshot.Order) map[snapshot.ID]string {
	out := make(map[snapshot.ID]string, len(orders))
	for _, o := range orders {
		out[o.ID] = o.RawStatus
	}
	return out
}

// merge lays a reading over what was stored. A kind read in full replaces
// the stored set; a kind read incrementally updates it; a kind that failed
// keeps the stored set and stays marked failed. A record held this cycle
// keeps its stored version, so it never looks deleted. A record held
// without a readable id could be any stored record, so its kind's listing
// is not complete this cycle: it updates the stored set, confirms no
// deletion.
func merge(stored, read snapshot.Snapshot) snapshot.Snapshot {
	held := map[snapshot.Kind]map[snapshot.ID]bool{}
	noID := map[snapshot.Kind]bool{}
	for _, h := range read.Held {
		if h.ID == "" {
			noID[h.Kind] = true
		}
		if held[h.Kind] == nil {
			held[h.Kind] = map[snapshot.ID]bool{}
		}
		held[h.Kind][h.ID] = true
	}
	out := snapshot.Snapshot{Side: read.Side, TakenAt: read.TakenAt, Held: read.Held,
		Complete: map[snapshot.Kind]bool{}, Failed: map[snapshot.Kind]string{}}
	for k, v := range read.Complete {
		if v && !noID[k] {
			out.Complete[k] = v
		}
	}
	for k, v := range read.Failed {
		out.Failed[k] = v
		delete(out.Complete, k)
	}
	mode := func(k snapshot.Kind) mergeMode {
		switch {
		case read.Failed[k] != "":
			return keepStored
		case out.Complete[k]:
			return replace
		}
		return overlay
	}
	out.Categories = mergeKind(stored.Categories, read.Categories, mode(snapshot.KindCategory), held[snapshot.KindCategory], func(c snapshot.Category) snapshot.ID { return c.ID })
	out.Products = mergeKind(stored.Products, read.Products, mode(snapshot.KindProduct), held[snapshot.KindProduct], func(p snapshot.Product) snapshot.ID { return p.ID })
	out.Customers = mergeKind(stored.Customers, read.Customers, mode(snapshot.KindCustomer), held[snapshot.KindCustomer], func(c snapshot.Customer) snapshot.ID { return c.ID })
	out.Orders = mergeKind(stored.Orders, read.Orders, mode(snapshot.KindOrder), held[snapshot.KindOrder], func(o snapshot.Order) snapshot.ID { return o.ID })
	out.PaymentMethods = mergeKind(stored.PaymentMethods, read.PaymentMethods, mode(snapshot.KindPaymentMethod), held[snapshot.KindPaymentMethod], func(m snapshot.PaymentMethod) snapshot.ID { return m.ID })
	return out
}

type mergeMode int

const (
	overlay mergeMode = iota
	replace
	keepStored
)

func mergeKind[R any](stored, read []R, mode mergeMode, held map[snapshot.ID]bool, id func(R) snapshot.ID) []R {
	switch mode {
	case keepStored:
		return stored
	case replace:
		out := read
		if len(held) > 0 {
			seen := make(map[snapshot.ID]bool, len(read))
			for _, r := range read {
				seen[id(r)] = true
			}
			for _, s := range stored {
				if held[id(s)] && !seen[id(s)] {
					out = append(out, s)
				}
			}
		}
		return out
	}
	pos := make(map[snapshot.ID]int, len(stored)+len(read))
	out := make([]R, 0, len(stored)+len(read))
	for _, s := range stored {
		pos[id(s)] = len(out)
		out = append(out, s)
	}
	for _, r := range read {
		if i, ok := pos[id(r)]; ok {
			out[i] = r
			continue
		}
		pos[id(r)] = len(out)
		out = append(out, r)
	}
	return out
}

// input builds the engine's input from the view and the state file.
func (r *Reconciler) input(v *view, req RunRequest) (threeway.Input, error) {
	in := threeway.Input{Woo: v.woo, Nexo: v.nexo, Policy: r.opts.Policy, Form: r.opts.Form, Now: r.now(),
		Baselines: map[snapshot.Kind]map[snapshot.ID]snapshot.Fields{}}
	in.Policy.ForceDelete = in.Policy.ForceDelete || req.ForceDeletions
	err := r.state.View(func(tx Tx) error {
		for _, k := range snapshot.Kinds {
			links, err := tx.Links(k)
			if err != nil {
				return err
			}
			for _, l := range links {
				in.Links = append(in.Links, threeway.Link{Kind: l.Kind, Woo: l.Woo, Nexo: l.Nexo})
			}
			if in.Baselines[k], err = tx.Baselines(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return in, fmt.Errorf("load links: %w", err)
	}
	return in, nil
}

// persist stores the merged snapshots and the read cursors in one
// transaction.
func (r *Reconciler) persist(v *view, rep *Report) error {
	err := r.state.Update(func(tx Tx) error {
		if v.newPast {
			at := ""
			if !v.pastBefore.IsZero() {
				at = v.pastBefore.Format(time.RFC3339)
			}
			if err := tx.PutMeta(metaPastBefore, at); err != nil {
				return err
			}
		}
		for _, side := range []snapshot.Side{snapshot.WooCommerce, snapshot.NexoPOS} {
			s := *v.side(side)
			if err := tx.PutSnapshot(s, r.opts.Form); err != nil {
				return err
			}
			held := map[snapshot.Kind]bool{}
			for _, h := range s.Held {
				held[h.Kind] = true
			}
			for k, ok := range v.readOK[side] {
				// A kind with records that could not be read keeps its
				// cursor, so they are read again until they can be used.
				if ok && !held[k] {
					if err := tx.PutCursor(side, k, rep.Started); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("persist snapshots: %w", err)
	}
	return nil
}
