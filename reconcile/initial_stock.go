package reconcile

import (
	"context"
	"fmt"
	"strings"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// A product created on NexoPOS from WooCommerce brings its quantity in
// once, as a stock adjustment (an "added" move, which a retry would apply
// twice). Both steps are journaled:
//
//   - the create's journal entry carries the quantity in its Note, so a
//     create adopted after a crash still brings its stock in;
//   - once the create is stored, an entry of op opInitialStock (Key: the
//     NexoPOS product id, Note: the quantity) stands for the adjustment
//     until it is known to be done.
//
// A pending adjustment is resolved by reading the product's NexoPOS stock:
// a product woonexo just created holds nothing until its initial quantity
// comes in, so zero means "not done" (send it) and anything else "done".
const (
	opInitialStock   = "initial_stock"
	initialStockNote = "initial_stock="
)

// initialQuantity is the quantity op's product brings into NexoPOS: its
// WooCommerce quantity plus what WooCommerce orders not yet in NexoPOS
// already took from it (they take it from NexoPOS when imported). Nil when
// op brings none.
func (a *applier) initialQuantity(op *threeway.Op) *snapshot.Decimal {
	if op.Kind != snapshot.KindProduct || op.Action != threeway.ActionCreate || op.Target != snapshot.NexoPOS || op.Quantity == nil {
		return nil
	}
	q := op.Quantity.Add(a.pendingAtPlan()[op.WooID])
	if q.Cmp(snapshot.Decimal{}) <= 0 {
		return nil
	}
	return &q
}

// journalInitialStock records, with a stored product create, the
// adjustment still to send.
func (a *applier) journalInitialStock(tx Tx, p *pending, id snapshot.ID) error {
	if p.initial == nil || id == "" {
		return nil
	}
	seq, err := tx.JournalAdd(&snapshot.JournalEntry{Kind: snapshot.KindProduct, Target: snapshot.NexoPOS, Op: opInitialStock,
		Key: string(id), SourceID: p.op.WooID, Note: initialStockNote + p.initial.String(), Created: a.r.now()})
	p.stockSeq = seq
	return err
}

// initialStock sends the adjustments of a batch's stored product creates
// and settles their journal entries.
func (a *applier) initialStock(ctx context.Context, ready []*pending, results []WriteResult) error {
	var writes []Write
	var from []*pending
	for i, p := range ready {
		if p.stockSeq == 0 || results[i].Err != nil {
			continue
		}
		writes = append(writes, Write{Kind: snapshot.KindProduct, Action: threeway.ActionStock, ID: results[i].ID, Quantity: p.initial,
			Reason: "initial quantity from WooCommerce"})
		from = append(from, p)
	}
	if len(writes) == 0 {
		return nil
	}
	// The adjustment belongs to the create just made: it is sent even when
	// the process is stopping, so no product is left at zero stock.
	res := send(WithStop(ctx, nil), a.r.nexo, snapshot.NexoPOS, writes)
	err := a.r.state.Update(func(tx Tx) error {
		for i, p := range from {
			if res[i].Err == nil || !mayHaveHappened(res[i].Err) {
				if err := tx.JournalDone(p.stockSeq); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for i, p := range from {
		r := OpResult{Kind: snapshot.KindProduct, Action: string(threeway.ActionStock), Target: snapshot.NexoPOS, Key: p.op.Key, Status: StatusDone, ID: writes[i].ID}
		if res[i].Err != nil {
			r.Status, r.Error, r.ErrorKind = StatusFailed, res[i].Err.Error(), kindOf(res[i].Err)
			a.log.Warn("initial stock failed", "key", p.op.Key, "err", res[i].Err)
		}
		a.rep.Results = append(a.rep.Results, r)
		a.rep.count(r)
	}
	if err != nil {
		return fmt.Errorf("record initial stock: %w", err)
	}
	return nil
}

// journaledInitialStock returns the quantity a journal entry says its
// product brings in, if any.
func journaledInitialStock(e snapshot.JournalEntry) (snapshot.Decimal, bool) {
	v, ok := strings.CutPrefix(e.Note, initialStockNote)
	if !ok || e.Kind != snapshot.KindProduct || e.Target != snapshot.NexoPOS {
		return snapshot.Decimal{}, false
	}
	q, err := snapshot.ParseDecimal(v)
	return q, err == nil
}

// settleInitialStock brings q into NexoPOS product id unless it is there
// already (see the comment at the top of this file).
func (r *Reconciler) settleInitialStock(ctx context.Context, id snapshot.ID, q snapshot.Decimal) error {
	stock, err := r.stock.ReadStock(ctx, []snapshot.ID{id})
	if err != nil {
		return fmt.Errorf("read stock of %s: %w", id, err)
	}
	if cur, ok := stock[id]; ok && cur.Cmp(snapshot.Decimal{}) != 0 {
		return nil
	}
	res := send(ctx, r.nexo, snapshot.NexoPOS, []Write{{Kind: snapshot.KindProduct, Action: threeway.ActionStock, ID: id,
		Quantity: &q, Reason: "initial quantity from WooCommerce"}})
	return res[0].Err
}
