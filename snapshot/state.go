package snapshot

import "time"

// Link pairs a WooCommerce record with its NexoPOS twin. NexoPOS has no
// field for foreign ids, so links live in the state file, not on either
// side. A link is one-to-one: each id appears in at most one link of a kind.
type Link struct {
	Kind    Kind      `json:"kind"`
	Woo     ID        `json:"woo"`
	Nexo    ID        `json:"nexo"`
	Created time.Time `json:"created,omitzero"`
}

// JournalEntry is a write that may not be idempotent (a create), recorded
// before it is sent. An entry still pending at the next start means the
// outcome is unknown: the target is searched for Key before anything is
// sent again, and the record found (if any) is adopted.
type JournalEntry struct {
	Seq      uint64    `json:"seq"`
	Kind     Kind      `json:"kind"`
	Target   Side      `json:"target"`
	Op       string    `json:"op"`
	Key      string    `json:"key"`       // natural key: SKU, e-mail, category path, order reference
	SourceID ID        `json:"source_id"` // the record's id on the other side
	Created  time.Time `json:"created"`
	Attempts int       `json:"attempts,omitempty"`
	Note     string    `json:"note,omitempty"`
}

// Conflict is a field both sides changed differently since their last
// agreement, with the rule that decided it.
type Conflict struct {
	Kind      Kind      `json:"kind"`
	Woo       ID        `json:"woo"`
	Nexo      ID        `json:"nexo"`
	Field     string    `json:"field"`
	WooValue  string    `json:"woo_value"`
	NexoValue string    `json:"nexo_value"`
	BaseValue string    `json:"base_value"`
	Rule      string    `json:"rule"`
	Winner    string    `json:"winner"`
	At        time.Time `json:"at,omitzero"`
}

// RunOK is the Run.Result of a cycle that finished without errors.
const RunOK = "ok"

// Run is the record of one cycle, kept in a bounded history.
type Run struct {
	ID       string    `json:"id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Result is RunOK or a short word saying why not ("failed", "refused",
	// "drift").
	Result    string         `json:"result"`
	Full      bool           `json:"full,omitempty"`
	DryRun    bool           `json:"dry_run,omitempty"`
	Writes    map[string]int `json:"writes,omitempty"`   // by "kind/side/op/result"
	Requests  map[string]int `json:"requests,omitempty"` // by system
	Errors    []string       `json:"errors,omitempty"`
	Held      int            `json:"held"`
	Conflicts int            `json:"conflicts"`
	Drift     map[string]int `json:"drift,omitempty"` // by "kind/side"
	Summary   string         `json:"summary,omitempty"`
}
