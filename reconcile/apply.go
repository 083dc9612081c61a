package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// maxBatch bounds the ops sent (and journaled) together: WooCommerce takes
// at most 100 items a batch.
const maxBatch = 100

// linkIndex is one kind's links both ways, kept current as creates succeed.
type linkIndex struct{ w2n, n2w map[snapshot.ID]snapshot.ID }

// applier carries one cycle's apply phase.
type applier struct {
	r    *Reconciler
	rep  *Report
	v    *view
	in   threeway.Input
	log  *slog.Logger
	link map[snapshot.Kind]*linkIndex
	// status and created are keyed by op Seq.
	status  map[int]Status
	created map[int]snapshot.ID
	// newOrderLinks are the order links made this cycle (for the stock
	// phase's pending quantities).
	newOrderLinks []threeway.Link
	// unresolved are the sources of earlier creates whose outcome is still
	// unknown (unresolvedKey): they are not created again meanwhile.
	unresolved map[string]error
	imported   []snapshot.Order
	// pushedStock lists the WooCommerce products whose stock an order
	// pushed to WooCommerce this cycle took down (set_paid reduces it).
	pushedStock []snapshot.ID
	planPending map[snapshot.ID]snapshot.Decimal
}

// pending is one op turned into a write.
type pending struct {
	op         *threeway.Op
	write      Write
	journalSeq uint64
	// initial is the quantity a product created on NexoPOS brings in as a
	// stock adjustment; stockSeq its journal entry once the create is
	// stored (see initial_stock.go).
	initial  *snapshot.Decimal
	stockSeq uint64
}

func (p *pending) sourceID() snapshot.ID { return sourceOf(p.op) }

// sourceOf is the id of op's record on the side it comes from.
func sourceOf(op *threeway.Op) snapshot.ID {
	if op.Target == snapshot.WooCommerce {
		return op.NexoID
	}
	return op.WooID
}

// journalKey is what Finder looks the record up by if the outcome of the
// create is unknown.
func (p *pending) journalKey() string {
	if c, ok := p.write.Record.(snapshot.Category); ok {
		return CategoryKey(c.ParentID, c.Name)
	}
	if p.op.Kind == snapshot.KindOrder {
		if p.op.Target == snapshot.WooCommerce {
			return string(p.op.NexoID) // WooCommerce orders carry the NexoPOS id in meta
		}
		if o, ok := p.op.Source.(snapshot.Order); ok {
			return o.Number // NexoPOS orders carry the WooCommerce number in the title
		}
	}
	return p.op.Key
}

func newApplier(r *Reconciler, rep *Report, v *view, in threeway.Input, log *slog.Logger) *applier {
	a := &applier{r: r, rep: rep, v: v, in: in, log: log, link: map[snapshot.Kind]*linkIndex{},
		status: map[int]Status{}, created: map[int]snapshot.ID{}}
	for _, k := range snapshot.Kinds {
		a.link[k] = &linkIndex{w2n: map[snapshot.ID]snapshot.ID{}, n2w: map[snapshot.ID]snapshot.ID{}}
	}
	for _, l := range in.Links {
		a.addLink(l.Kind, l.Woo, l.Nexo)
	}
	return a
}

func (a *applier) addLink(kind snapshot.Kind, woo, nexo snapshot.ID) {
	a.link[kind].w2n[woo] = nexo
	a.link[kind].n2w[nexo] = woo
}

func (a *applier) dropLink(kind snapshot.Kind, woo snapshot.ID) {
	if n, ok := a.link[kind].w2n[woo]; ok {
		delete(a.link[kind].n2w, n)
	}
	delete(a.link[kind].w2n, woo)
}

// twin returns the id on the other side of the record id of side.
func (a *applier) twin(kind snapshot.Kind, side snapshot.Side, id snapshot.ID) (snapshot.ID, bool) {
	if side == snapshot.WooCommerce {
		t, ok := a.link[kind].w2n[id]
		return t, ok
	}
	t, ok := a.link[kind].n2w[id]
	return t, ok
}

// apply stores the plan's new links and agreements, then applies its ops
// in order, stock last.
func (a *applier) apply(ctx context.Context) error {
	if err := a.storeLinks(); err != nil {
		return err
	}
	// One open batch per target: each target's ops keep their order, and
	// an op for the other system does not cut a batch short (the plan
	// interleaves them: 100 product updates each way were 100 WooCommerce
	// requests). Batches go in the order they were opened; a new kind, or
	// an op depending on one still waiting, sends what is open first.
	batches := map[snapshot.Side][]*threeway.Op{}
	var opened []snapshot.Side
	flush := func(side snapshot.Side) error {
		b := batches[side]
		delete(batches, side)
		opened = slices.DeleteFunc(opened, func(s snapshot.Side) bool { return s == side })
		if len(b) == 0 {
			return nil
		}
		return a.applyBatch(ctx, b)
	}
	flushAll := func() error {
		for len(opened) > 0 {
			if err := flush(opened[0]); err != nil {
				return err
			}
		}
		return nil
	}
	total := len(a.rep.Plan.Ops)
	for i := range a.rep.Plan.Ops {
		op := &a.rep.Plan.Ops[i]
		if op.Action == threeway.ActionStock && op.Target == snapshot.WooCommerce {
			continue // the stock phase writes these from a fresh read
		}
		for _, b := range batches {
			if b[0].Kind != op.Kind || dependsOnAny(b, op) {
				if err := flushAll(); err != nil {
					return err
				}
				break
			}
		}
		if b := batches[op.Target]; len(b) > 0 && !sameBatch(b, op) {
			if err := flush(op.Target); err != nil {
				return err
			}
		}
		if len(batches[op.Target]) == 0 {
			opened = append(opened, op.Target)
		}
		batches[op.Target] = append(batches[op.Target], op)
		a.r.progress("apply", i, total)
		if err := ctx.Err(); err != nil {
			break
		}
	}
	if err := flushAll(); err != nil {
		return err
	}
	if Stopping(ctx) {
		return nil // stock is written from a fresh read next cycle
	}
	return a.applyStock(ctx)
}

// dependsOnAny reports whether op depends on an op of batch.
func dependsOnAny(batch []*threeway.Op, op *threeway.Op) bool {
	for _, dep := range op.DependsOn {
		for _, b := range batch {
			if b.Seq == dep {
				return true
			}
		}
	}
	return false
}

// sameBatch reports whether op can go in one request with batch: same
// target, kind and action, room left, and no dependency inside the batch.
func sameBatch(batch []*threeway.Op, op *threeway.Op) bool {
	first := batch[0]
	if len(batch) >= maxBatch || first.Target != op.Target || first.Kind != op.Kind || first.Action != op.Action {
		return false
	}
	return !dependsOnAny(batch, op)
}

// storeLinks stores the links the engine made by natural key and moves the
// baselines of pairs that agree, in one transaction.
func (a *applier) storeLinks() error {
	plan := &a.rep.Plan
	if len(plan.Links) == 0 && len(plan.Agreed) == 0 {
		return nil
	}
	err := a.r.state.Update(func(tx Tx) error {
		for _, l := range plan.Links {
			if err := tx.PutLink(snapshot.Link{Kind: l.Kind, Woo: l.Woo, Nexo: l.Nexo, Created: a.rep.Started}); err != nil {
				return err
			}
		}
		for _, ag := range plan.Agreed {
			if err := mergeBaseline(tx, ag.Kind, ag.Woo, ag.Fields); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store links: %w", err)
	}
	for _, l := range plan.Links {
		a.addLink(l.Kind, l.Woo, l.Nexo)
		if l.Kind == snapshot.KindOrder {
			a.newOrderLinks = append(a.newOrderLinks, l)
		}
	}
	return nil
}

func mergeBaseline(tx Tx, kind snapshot.Kind, woo snapshot.ID, f snapshot.Fields) error {
	if len(f) == 0 {
		return nil
	}
	base, _ := tx.Baseline(kind, woo)
	merged := make(snapshot.Fields, len(base)+len(f))
	maps.Copy(merged, base)
	maps.Copy(merged, f)
	return tx.PutBaseline(kind, woo, merged)
}

// applyBatch turns ops into writes, journals the creates, sends them and
// records every outcome in one transaction.
func (a *applier) applyBatch(ctx context.Context, ops []*threeway.Op) error {
	var ready []*pending
	for _, op := range ops {
		if Stopping(ctx) || ctx.Err() != nil {
			a.finish(op, StatusSkipped, "", ErrStopped)
			continue
		}
		if op.Action == threeway.ActionCreate {
			if err := a.unresolved[unresolvedKey(op.Kind, op.Target, sourceOf(op))]; err != nil {
				a.finish(op, StatusSkipped, "", err)
				continue
			}
		}
		if dep, ok := a.failedDependency(op); ok {
			a.finish(op, StatusSkipped, "", fmt.Errorf("op %d it depends on did not succeed", dep))
			continue
		}
		w, err := a.write(op)
		if err != nil {
			a.finish(op, StatusSkipped, "", err)
			continue
		}
		ready = append(ready, &pending{op: op, write: w, initial: a.initialQuantity(op)})
	}
	if len(ready) == 0 {
		return nil
	}
	if err := a.r.journal(ready); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	writes := make([]Write, len(ready))
	for i, p := range ready {
		writes[i] = p.write
	}
	results := send(ctx, a.r.system(ops[0].Target), ops[0].Target, writes)
	a.adoptConflicts(ctx, ready, results)
	a.checkCreated(ready, results)
	if err := a.commit(ready, results); err != nil {
		return err
	}
	return a.initialStock(ctx, ready, results)
}

// adoptConflicts turns a create refused because the record already exists
// on the target (an e-mail owned by a WooCommerce administrator, a category
// name taken under the same parent) into a link to that record, found by
// natural key, instead of a failure. Products are not adopted this way: a
// SKU may be held by a trashed product, which must not become a twin.
func (a *applier) adoptConflicts(ctx context.Context, ready []*pending, results []WriteResult) {
	for i, p := range ready {
		adoptable := p.op.Kind == snapshot.KindCustomer || p.op.Kind == snapshot.KindCategory
		if results[i].Err == nil || p.write.Action != threeway.ActionCreate || kindOf(results[i].Err) != "conflict" || !adoptable {
			continue
		}
		id, found, err := a.r.system(p.op.Target).Find(ctx, p.op.Kind, p.journalKey(), a.rep.Started)
		if err != nil || !found {
			continue
		}
		if _, taken := a.twin(p.op.Kind, p.op.Target, id); taken {
			continue // already another record's twin: the refusal stands
		}
		a.log.Info("linked an existing record instead of creating one", "kind", p.op.Kind, "target", p.op.Target,
			"key", p.op.Key, "id", id, "refusal", results[i].Err)
		results[i] = WriteResult{ID: id}
	}
}

// checkCreated turns a create answered without an id, or with the id of a
// record that is already another's twin, into that write's failure, so it
// cannot break the batch's links.
func (a *applier) checkCreated(ready []*pending, results []WriteResult) {
	for i, p := range ready {
		if results[i].Err != nil || p.write.Action != threeway.ActionCreate {
			continue
		}
		switch _, taken := a.twin(p.op.Kind, p.op.Target, results[i].ID); {
		case results[i].ID == "":
			results[i].Err = fmt.Errorf("%s answered the create without an id", p.op.Target)
		case taken && p.op.Kind != snapshot.KindPaymentMethod:
			results[i].Err = fmt.Errorf("%s answered with %s %s, already linked to another record", p.op.Target, p.op.Kind, results[i].ID)
		}
	}
}

func (a *applier) failedDependency(op *threeway.Op) (int, bool) {
	for _, dep := range op.DependsOn {
		if a.status[dep] != StatusDone {
			return dep, true
		}
	}
	return 0, false
}

// finish records the outcome of op in the report.
func (a *applier) finish(op *threeway.Op, st Status, id snapshot.ID, err error) {
	a.status[op.Seq] = st
	res := OpResult{Seq: op.Seq, Kind: op.Kind, Action: string(op.Action), Target: op.Target, Key: op.Key, Status: st, ID: id}
	if err != nil {
		res.Error = err.Error()
		if st == StatusFailed {
			res.ErrorKind = kindOf(err)
		}
		a.log.Warn("write "+string(st), "kind", op.Kind, "action", op.Action, "target", op.Target, "key", op.Key, "err", err)
	} else {
		a.log.Debug("write done", "kind", op.Kind, "action", op.Action, "target", op.Target, "key", op.Key, "id", id)
	}
	a.rep.Results = append(a.rep.Results, res)
	a.rep.count(res)
}

// commit stores, in one transaction, the links, baselines and journal
// outcomes of a batch's results.
func (a *applier) commit(ready []*pending, results []WriteResult) error {
	err := a.r.state.Update(func(tx Tx) error {
		for i, p := range ready {
			if err := a.commitOne(tx, p, results[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record writes: %w", err)
	}
	for i, p := range ready {
		res := results[i]
		if res.Err != nil {
			st := StatusFailed
			if errors.Is(res.Err, ErrStopped) {
				st = StatusSkipped
			}
			a.finish(p.op, st, "", res.Err)
			continue
		}
		a.finish(p.op, StatusDone, res.ID, nil)
		a.afterDone(p, res.ID)
	}
	return nil
}

func (a *applier) commitOne(tx Tx, p *pending, res WriteResult) error {
	op := p.op
	if res.Err != nil {
		if p.journalSeq != 0 && !mayHaveHappened(res.Err) {
			return tx.JournalDone(p.journalSeq)
		}
		return nil
	}
	if p.journalSeq != 0 {
		if err := tx.JournalDone(p.journalSeq); err != nil {
			return err
		}
	}
	if err := a.journalInitialStock(tx, p, res.ID); err != nil {
		return err
	}
	woo := op.WooID
	switch op.Action {
	case threeway.ActionCreate: // checkCreated made sure res.ID is new and set
		nexo := op.NexoID
		if op.Target == snapshot.WooCommerce {
			woo = res.ID
		} else {
			nexo = res.ID
		}
		if op.Replaces != nil {
			if err := tx.DeleteLink(op.Replaces.Kind, op.Replaces.Woo); err != nil {
				return err
			}
			if err := tx.DeleteBaseline(op.Replaces.Kind, op.Replaces.Woo); err != nil {
				return err
			}
		}
		if err := tx.PutLink(snapshot.Link{Kind: op.Kind, Woo: woo, Nexo: nexo, Created: a.rep.Started}); err != nil {
			return err
		}
		// An order the side answered with, as placed, is held at once:
		// the next read need not read it back.
		if o, ok := res.Record.(snapshot.Order); ok && o.ID == res.ID {
			if err := tx.PutOrder(op.Target, o, a.r.opts.Form); err != nil {
				return err
			}
		}
		return mergeBaseline(tx, op.Kind, woo, op.Baseline)
	case threeway.ActionDelete:
		if err := tx.DeleteLink(op.Kind, woo); err != nil {
			return err
		}
		if err := tx.DeleteBaseline(op.Kind, woo); err != nil {
			return err
		}
		// The record is gone from its side: an incremental read (which
		// never lists trashed WooCommerce products) would otherwise leave
		// it in the stored snapshot, unlinked, and the next cycle would
		// create it again on the other side.
		return tx.DeleteRecord(op.Target, op.Kind, p.write.ID)
	case threeway.ActionCreatePaymentType:
		return nil
	case threeway.ActionVoid, threeway.ActionRefund:
		if err := a.storeFollowedOrder(tx, op); err != nil {
			return err
		}
	}
	return mergeBaseline(tx, op.Kind, woo, op.Baseline)
}

// storeFollowedOrder records in the stored NexoPOS snapshot that an order
// was voided or refunded. NexoPOS's order listing does not show it (a paid
// order is settled and not read in detail again), so without this the
// next cycle would plan the void or refund again.
func (a *applier) storeFollowedOrder(tx Tx, op *threeway.Op) error {
	for _, o := range a.v.nexo.Orders {
		if o.ID != op.NexoID {
			continue
		}
		if op.Action == threeway.ActionVoid {
			o.Status, o.RawStatus = snapshot.OrderCancelled, "order_void"
		} else {
			o.Status, o.RawStatus = snapshot.OrderRefunded, "refunded"
		}
		return tx.PutOrder(snapshot.NexoPOS, o, a.r.opts.Form)
	}
	return nil
}

// afterDone updates the in-memory links after a committed success.
func (a *applier) afterDone(p *pending, id snapshot.ID) {
	op := p.op
	switch op.Action {
	case threeway.ActionCreate:
		a.created[op.Seq] = id
		if op.Replaces != nil {
			a.dropLink(op.Replaces.Kind, op.Replaces.Woo)
		}
		woo, nexo := op.WooID, op.NexoID
		if op.Target == snapshot.WooCommerce {
			woo = id
		} else {
			nexo = id
		}
		a.addLink(op.Kind, woo, nexo)
		if op.Kind == snapshot.KindOrder {
			a.newOrderLinks = append(a.newOrderLinks, threeway.Link{Kind: op.Kind, Woo: woo, Nexo: nexo})
			if o, ok := op.Source.(snapshot.Order); ok {
				if op.Target == snapshot.NexoPOS {
					a.imported = append(a.imported, o)
				} else {
					for _, l := range o.Lines {
						if w, ok := a.twin(snapshot.KindProduct, snapshot.NexoPOS, l.ProductID); ok && l.Kind == snapshot.LineProduct {
							a.pushedStock = append(a.pushedStock, w)
						}
					}
				}
			}
		}
	case threeway.ActionDelete:
		a.dropLink(op.Kind, op.WooID)
	}
}

// pendingAtPlan returns, per WooCommerce product, the quantities of
// online orders that reduced WooCommerce stock and were not in NexoPOS
// when the plan was made.
func (a *applier) pendingAtPlan() map[snapshot.ID]snapshot.Decimal {
	if a.planPending == nil {
		a.planPending = threeway.PendingQuantities(a.in, a.rep.Plan)
	}
	return a.planPending
}

// send hands ws to w and returns exactly one result per write: a side
// answering with the wrong number of results fails them all.
func send(ctx context.Context, w Writer, side snapshot.Side, ws []Write) []WriteResult {
	res := w.Write(ctx, ws)
	if len(res) != len(ws) {
		err := fmt.Errorf("%s answered %d results for %d writes", side, len(res), len(ws))
		res = make([]WriteResult, len(ws))
		for i := range res {
			res[i].Err = err
		}
	}
	return res
}
