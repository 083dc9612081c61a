package snapshot

import (
	"errors"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	good := []struct{ in, want string }{
		{"12", "12"}, {"12.50", "12.5"}, {" -3.25 ", "-3.25"}, {"+0.5", "0.5"}, {".5", "0.5"},
		{"5.", "5"}, {"0.0000005", "0.000001"}, {"-0.0000005", "-0.000001"}, {"1.23456749", "1.234567"},
		{"9223372036854", "9223372036854"},
	}
	for _, c := range good {
		d, err := ParseDecimal(c.in)
		if err != nil {
			t.Fatalf("ParseDecimal(%q): %v", c.in, err)
		}
		if d.String() != c.want {
			t.Errorf("ParseDecimal(%q) = %s, want %s", c.in, d, c.want)
		}
	}
	for _, bad := range []string{"", " ", "abc", "1,50", "1e3", "1.2.3", "-", ".", "NaN", "12a", "99999999999999"} {
		if _, err := ParseDecimal(bad); !errors.Is(err, ErrDecimal) {
			t.Errorf("ParseDecimal(%q) error = %v, want ErrDecimal", bad, err)
		}
	}
}

func TestDecimalRoundAndFixed(t *testing.T) {
	cases := []struct {
		in     string
		places int
		want   string
	}{
		{"12.555", 2, "12.56"}, {"-12.555", 2, "-12.56"}, {"12.554", 2, "12.55"}, {"10", 2, "10.00"},
		{"0.5", 0, "1"}, {"2.5", 0, "3"}, {"12.5", 3, "12.500"},
	}
	for _, c := range cases {
		if got := MustDecimal(c.in).StringFixed(c.places); got != c.want {
			t.Errorf("StringFixed(%s, %d) = %s, want %s", c.in, c.places, got, c.want)
		}
	}
}

func TestDecimalArithmetic(t *testing.T) {
	a, b := MustDecimal("19.99"), MustDecimal("3")
	if got := a.Mul(b).String(); got != "59.97" {
		t.Errorf("Mul = %s", got)
	}
	if got := a.Sub(b).Add(NewDecimal(1)).String(); got != "17.99" {
		t.Errorf("Sub/Add = %s", got)
	}
	if a.Cmp(b) != 1 || b.Cmp(a) != -1 || a.Cmp(a) != 0 {
		t.Error("Cmp")
	}
	if d, err := DecimalFromFloat(2.675); err != nil || d.String() != "2.675" {
		t.Errorf("DecimalFromFloat = %s, %v", d, err)
	}
}

func FuzzParseDecimal(f *testing.F) {
	for _, s := range []string{"12.50", "-3", "1e3", "1,5", ".5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDecimal(s)
		if err != nil {
			return
		}
		back, err := ParseDecimal(d.String())
		if err != nil || back != d {
			t.Fatalf("round trip of %q: %s -> %v, %v", s, d, back, err)
		}
	})
}
