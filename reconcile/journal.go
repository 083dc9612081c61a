package reconcile

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// resolveJournal settles the creates an earlier run sent without learning
// their outcome (it crashed or timed out): each is looked up on its target
// by natural key; a record found is adopted (linked to its source), and an
// entry whose record is not there is released so the plan creates it again.
// If a lookup fails the cycle stops: planning now could create a twin.
//
// A lookup that fails for a reason retrying will not cure (an invalid
// answer, two candidates) does not stop every cycle: the entry stays
// pending and its record is not created again until it is resolved
// (returned in unresolved, keyed by unresolvedKey).
func (r *Reconciler) resolveJournal(ctx context.Context, rep *Report, log *slog.Logger) (unresolved map[string]error, err error) {
	var pending []snapshot.JournalEntry
	if err := r.state.View(func(tx Tx) (err error) { pending, err = tx.JournalPending(); return err }); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	for _, e := range pending {
		if e.Op == opInitialStock {
			if err := r.resolveInitialStock(ctx, e, rep, log); err != nil {
				return nil, err
			}
			continue
		}
		id, found, err := r.findJournaled(ctx, e)
		if err == nil && found {
			if q, ok := journaledInitialStock(e); ok {
				err = r.settleInitialStock(ctx, id, q)
			}
		}
		if err != nil {
			_ = r.state.Update(func(tx Tx) error { return tx.JournalBump(e.Seq) })
			kind := kindOf(err)
			err = fmt.Errorf("%w: %s %s %q on %s: %v", ErrJournalUnresolved, e.Op, e.Kind, e.Key, e.Target, err)
			switch kind {
			case "invalid", "conflict", "not_found":
				if unresolved == nil {
					unresolved = map[string]error{}
				}
				unresolved[unresolvedKey(e.Kind, e.Target, e.SourceID)] = err
				log.Warn("journaled create left pending: its lookup failed", "kind", e.Kind, "target", e.Target, "key", e.Key, "err", err)
				continue
			}
			return nil, err
		}
		err = r.state.Update(func(tx Tx) error {
			if found && e.Kind != snapshot.KindPaymentMethod {
				l := snapshot.Link{Kind: e.Kind, Created: r.now()}
				if e.Target == snapshot.WooCommerce {
					l.Woo, l.Nexo = id, e.SourceID
				} else {
					l.Woo, l.Nexo = e.SourceID, id
				}
				if err := tx.PutLink(l); err != nil {
					log.Warn("journaled create found but not linked", "kind", e.Kind, "key", e.Key, "id", id, "err", err)
				}
			}
			return tx.JournalDone(e.Seq)
		})
		if err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		if found {
			rep.JournalAdopted++
			log.Info("adopted a record created by an interrupted run", "kind", e.Kind, "target", e.Target, "key", e.Key, "id", id)
		} else {
			rep.JournalReleased++
		}
	}
	return unresolved, nil
}

// resolveInitialStock settles an initial stock adjustment an earlier run
// may or may not have sent.
func (r *Reconciler) resolveInitialStock(ctx context.Context, e snapshot.JournalEntry, rep *Report, log *slog.Logger) error {
	q, ok := journaledInitialStock(e)
	if ok {
		if err := r.settleInitialStock(ctx, snapshot.ID(e.Key), q); err != nil {
			_ = r.state.Update(func(tx Tx) error { return tx.JournalBump(e.Seq) })
			return fmt.Errorf("%w: initial stock of NexoPOS product %s: %v", ErrJournalUnresolved, e.Key, err)
		}
	}
	if err := r.state.Update(func(tx Tx) error { return tx.JournalDone(e.Seq) }); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	rep.JournalAdopted++
	log.Info("settled the initial stock of a product created by an interrupted run", "id", e.Key, "quantity", q.String())
	return nil
}

// unresolvedKey names the source record of a pending create.
func unresolvedKey(kind snapshot.Kind, target snapshot.Side, source snapshot.ID) string {
	return string(kind) + "/" + string(target) + "/" + string(source)
}

func (r *Reconciler) findJournaled(ctx context.Context, e snapshot.JournalEntry) (snapshot.ID, bool, error) {
	since := e.Created.Add(-r.opts.OrderLookback)
	if e.Key == "" {
		return "", false, nil
	}
	return r.system(e.Target).Find(ctx, e.Kind, e.Key, since)
}

// CategoryKey is the natural key a Finder looks a category up by: the
// target side's parent id ("" for a root) and the category's name, as
// "<parent id>/<name>".
func CategoryKey(parent snapshot.ID, name string) string { return string(parent) + "/" + name }

// journal records the creates of a batch before they are sent.
func (r *Reconciler) journal(batch []*pending) error {
	return r.state.Update(func(tx Tx) error {
		for _, p := range batch {
			if p.write.Action != threeway.ActionCreate && p.write.Action != threeway.ActionCreatePaymentType {
				continue
			}
			e := &snapshot.JournalEntry{Kind: p.op.Kind, Target: p.op.Target, Op: string(p.write.Action),
				Key: p.journalKey(), SourceID: p.sourceID(), Created: r.now()}
			if p.initial != nil {
				e.Note = initialStockNote + p.initial.String()
			}
			seq, err := tx.JournalAdd(e)
			if err != nil {
				return err
			}
			p.journalSeq = seq
		}
		return nil
	})
}

// record stores the cycle's history entry, conflicts and held records.
func (r *Reconciler) record(rep *Report) error {
	run := snapshot.Run{ID: rep.RunID, Started: rep.Started, Finished: rep.Finished, Result: runResult(rep.Outcome),
		Full: rep.Full, Writes: rep.Writes, Errors: rep.Errors, Held: len(rep.Plan.Held),
		Conflicts: len(rep.Plan.Conflicts), Summary: summary(rep), Requests: rep.Requests, Drift: rep.Drift()}
	for side, kinds := range rep.ReadFailures {
		for k, why := range kinds {
			run.Errors = append(run.Errors, fmt.Sprintf("read %s %s: %s", side, k, why))
		}
	}
	conflicts := make([]snapshot.Conflict, len(rep.Plan.Conflicts))
	for i, c := range rep.Plan.Conflicts {
		conflicts[i] = snapshot.Conflict{Kind: c.Kind, Woo: c.Woo, Nexo: c.Nexo, Field: c.Field, WooValue: c.WooValue,
			NexoValue: c.NexoValue, BaseValue: c.BaseValue, Rule: string(c.Rule), Winner: string(c.Winner), At: rep.Started}
	}
	err := r.state.Update(func(tx Tx) error {
		if err := tx.AppendRun(run, r.opts.History); err != nil {
			return err
		}
		if err := tx.ReplaceConflicts(conflicts); err != nil {
			return err
		}
		if err := tx.ReplaceHeld(rep.Plan.Held); err != nil {
			return err
		}
		if rep.Full && len(rep.ReadFailures) == 0 && len(rep.Errors) == 0 { // read, stored and applied without a fatal error
			return tx.PutMeta(metaLastFull, rep.Started.Format(time.RFC3339))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record cycle: %w", err)
	}
	return nil
}

func runResult(o Outcome) string {
	if o == OutcomeClean {
		return snapshot.RunOK
	}
	return string(o)
}

func summary(rep *Report) string {
	done, failed, skipped := 0, 0, 0
	for _, res := range rep.Results {
		switch res.Status {
		case StatusDone:
			done++
		case StatusFailed:
			failed++
		default:
			skipped++
		}
	}
	return strconv.Itoa(len(rep.Plan.Ops)) + " planned, " + strconv.Itoa(done) + " done, " +
		strconv.Itoa(failed) + " failed, " + strconv.Itoa(skipped) + " skipped, " +
		strconv.Itoa(len(rep.Plan.Held)) + " held"
}
