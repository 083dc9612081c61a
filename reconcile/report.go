package reconcile

import (
	"time"

	"github.com/woonexo/woonexo/reconcile/threeway"
	"github.com/woonexo/woonexo/snapshot"
)

// Outcome classifies a finished cycle; cmd turns it into an exit code.
type Outcome string

const (
	// OutcomeClean: both sides agree and nothing is held.
	OutcomeClean Outcome = "clean"
	// OutcomeDrift: the cycle ran, but records still differ (held records,
	// ambiguous keys, ops skipped for a dependency).
	OutcomeDrift Outcome = "drift"
	// OutcomeRefused: a safety check stopped part of the plan.
	OutcomeRefused Outcome = "refused"
	// OutcomeFailed: a read or a write failed.
	OutcomeFailed Outcome = "failed"
)

// Status says what became of one op.
type Status string

const (
	StatusDone    Status = "done"
	StatusFailed  Status = "failed"
	StatusSkipped Status = "skipped"
)

// OpResult is the outcome of one planned op.
type OpResult struct {
	Seq       int           `json:"seq"`
	Kind      snapshot.Kind `json:"kind"`
	Action    string        `json:"action"`
	Target    snapshot.Side `json:"target"`
	Key       string        `json:"key"`
	Status    Status        `json:"status"`
	ID        snapshot.ID   `json:"id,omitempty"`
	ErrorKind string        `json:"error_kind,omitempty"`
	Error     string        `json:"error,omitempty"`
}

// Report is everything a cycle did.
type Report struct {
	RunID    string    `json:"run_id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	Full     bool      `json:"full"`
	DryRun   bool      `json:"dry_run"`
	Outcome  Outcome   `json:"outcome"`
	// ReadFailures names, per side, the kinds that could not be read.
	ReadFailures map[snapshot.Side]map[snapshot.Kind]string `json:"read_failures,omitempty"`
	// Journal counts pending creates resolved at start: adopted (found on
	// the target) or released (not found; planned again).
	JournalAdopted  int            `json:"journal_adopted"`
	JournalReleased int            `json:"journal_released"`
	Plan            threeway.Plan  `json:"plan"`
	Results         []OpResult     `json:"results,omitempty"`
	Writes          map[string]int `json:"writes,omitempty"` // "kind/side/action/status"
	Errors          []string       `json:"errors,omitempty"`
	// Requests counts the requests the cycle sent, per system (when
	// Options.Requests is set).
	Requests map[string]int `json:"requests,omitempty"`
}

// Duration is how long the cycle took.
func (r *Report) Duration() time.Duration { return r.Finished.Sub(r.Started) }

func (r *Report) count(res OpResult) {
	if r.Writes == nil {
		r.Writes = map[string]int{}
	}
	r.Writes[string(res.Kind)+"/"+string(res.Target)+"/"+res.Action+"/"+string(res.Status)]++
}

func (r *Report) classify() Outcome {
	failed := len(r.Errors) > 0
	for _, res := range r.Results {
		if res.Status == StatusFailed {
			failed = true
		}
	}
	for _, kinds := range r.ReadFailures {
		if len(kinds) > 0 {
			failed = true
		}
	}
	switch {
	case failed:
		return OutcomeFailed
	case len(r.Plan.Refusals) > 0:
		return OutcomeRefused
	case len(r.Plan.Held) > 0 || len(r.Plan.Ambiguities) > 0:
		return OutcomeDrift
	}
	for _, res := range r.Results {
		if res.Status != StatusDone {
			return OutcomeDrift
		}
	}
	if r.DryRun && len(r.Plan.Ops) > 0 {
		return OutcomeDrift
	}
	if !r.DryRun && len(r.Drift()) > 0 { // e.g. stock left unwritten by a stop
		return OutcomeDrift
	}
	return OutcomeClean
}

// kindOf returns the bounded error kind of err ("transient",
// "rate_limited", "auth", "not_found", "invalid", "conflict"), or
// "unknown".
func kindOf(err error) string {
	var k interface{ ErrorKind() string }
	if asKind(err, &k) {
		return k.ErrorKind()
	}
	return "unknown"
}
