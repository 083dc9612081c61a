package reconcile

import (
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// State is the state file: every phase's writes go in one Update.
type State interface {
	Update(fn func(Tx) error) error
	View(fn func(Tx) error) error
}

// Tx is what the cycle reads and writes of the state file inside one
// transaction.
type Tx interface {
	LoadSnapshot(side snapshot.Side) (snapshot.Snapshot, error)
	PutSnapshot(s snapshot.Snapshot, form snapshot.Form) error
	PutCategory(side snapshot.Side, c snapshot.Category, form snapshot.Form) error
	PutProduct(side snapshot.Side, p snapshot.Product, form snapshot.Form) error
	PutCustomer(side snapshot.Side, c snapshot.Customer, form snapshot.Form) error
	PutOrder(side snapshot.Side, o snapshot.Order, form snapshot.Form) error
	PutPaymentMethod(side snapshot.Side, m snapshot.PaymentMethod, form snapshot.Form) error
	DeleteRecord(side snapshot.Side, kind snapshot.Kind, id snapshot.ID) error

	Cursor(side snapshot.Side, kind snapshot.Kind) (time.Time, bool)
	PutCursor(side snapshot.Side, kind snapshot.Kind, at time.Time) error
	Meta(key string) (string, bool)
	PutMeta(key, value string) error

	Links(kind snapshot.Kind) ([]snapshot.Link, error)
	PutLink(l snapshot.Link) error
	DeleteLink(kind snapshot.Kind, wooID snapshot.ID) error
	Baselines(kind snapshot.Kind) (map[snapshot.ID]snapshot.Fields, error)
	Baseline(kind snapshot.Kind, wooID snapshot.ID) (snapshot.Fields, bool)
	PutBaseline(kind snapshot.Kind, wooID snapshot.ID, f snapshot.Fields) error
	DeleteBaseline(kind snapshot.Kind, wooID snapshot.ID) error

	JournalAdd(e *snapshot.JournalEntry) (uint64, error)
	JournalDone(seq uint64) error
	JournalBump(seq uint64) error
	JournalPending() ([]snapshot.JournalEntry, error)

	AppendRun(r snapshot.Run, keep int) error
	ReplaceConflicts(cs []snapshot.Conflict) error
	ReplaceHeld(hs []snapshot.Held) error
}
