package wcsim

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// dateFilter is after/before (creation) and modified_after/modified_before,
// strict and at one-second granularity, as WP_Date_Query compares them.
type dateFilter struct {
	after, before, modAfter, modBefore *time.Time
}

var dateRe = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$`)

// parseDateFilters returns instants in UTC. With dates_are_gmt a naive
// value is UTC, and a value with a zone is first converted to site-local
// wall time and then read as UTC (WordPress' behaviour, which shifts the
// window by the site offset). Without it, values are site-local unless
// they carry a zone.
func (s *Sim) parseDateFilters(q url.Values) (dateFilter, *apiError) {
	var f dateFilter
	isGMT := boolParam(q, "dates_are_gmt")
	for _, spec := range []struct {
		name string
		dst  **time.Time
	}{{"after", &f.after}, {"before", &f.before}, {"modified_after", &f.modAfter}, {"modified_before", &f.modBefore}} {
		v := strings.TrimSpace(q.Get(spec.name))
		if v == "" {
			continue
		}
		m := dateRe.FindStringSubmatch(v)
		if m == nil {
			return f, invalidParam(spec.name, "rest_invalid_date", "Invalid date.")
		}
		var t time.Time
		var err error
		zone := m[3]
		switch {
		case zone == "":
			loc := s.loc
			if isGMT {
				loc = time.UTC
			}
			t, err = time.ParseInLocation(wpLayout, m[1], loc)
		default:
			z := zone
			if z == "Z" {
				z = "+00:00"
			}
			t, err = time.Parse(wpLayout+"-07:00", m[1]+z)
			if err == nil && isGMT {
				wall := t.In(s.loc).Format(wpLayout)
				t, err = time.ParseInLocation(wpLayout, wall, time.UTC)
			}
		}
		if err != nil {
			return f, invalidParam(spec.name, "rest_invalid_date", "Invalid date.")
		}
		t = t.UTC()
		*spec.dst = &t
	}
	return f, nil
}

func (f dateFilter) match(created, modified time.Time) bool {
	c, m := created.Unix(), modified.Unix()
	return (f.after == nil || c > f.after.Unix()) && (f.before == nil || c < f.before.Unix()) &&
		(f.modAfter == nil || m > f.modAfter.Unix()) && (f.modBefore == nil || m < f.modBefore.Unix())
}
