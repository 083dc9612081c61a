package main

import (
	"testing"
	"time"

	"github.com/woonexo/woonexo/cmd/reconcile/config"
)

func TestFullListingDue(t *testing.T) {
	s := config.Schedule{FullListing: "0 3 * * *", TimeZone: "UTC"}
	now := time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	due := fullListingDue(s, now)
	for _, c := range []struct {
		last time.Time
		want bool
	}{
		{time.Date(2026, 5, 2, 3, 0, 1, 0, time.UTC), false}, // after today's 03:00
		{time.Date(2026, 5, 2, 2, 59, 0, 0, time.UTC), true}, // before today's 03:00
		{time.Date(2026, 4, 20, 12, 0, 0, 0, time.UTC), true},
	} {
		if got := due(c.last); got != c.want {
			t.Errorf("last full %s: due = %v, want %v", c.last, got, c.want)
		}
	}
	if fullListingDue(config.Schedule{FullListing: "not a spec", TimeZone: "UTC"}, now) != nil {
		t.Error("a bad spec gives a check")
	}
}
