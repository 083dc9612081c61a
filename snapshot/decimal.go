package snapshot

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DecimalPlaces is the number of fraction digits a Decimal holds exactly.
// Money at any store precision (0–4 in practice) and fractional NexoPOS
// stock quantities fit; longer fractions are rounded half away from zero.
const DecimalPlaces = 6

const decimalUnit = 1_000_000 // 10^DecimalPlaces

// ErrDecimal is returned (wrapped) when text is not a plain decimal number.
var ErrDecimal = errors.New("not a plain decimal number")

// Decimal is an exact fixed-point number with DecimalPlaces fraction digits,
// used for money and stock quantities. It is never a float: two Decimals are
// equal exactly when == says so, which makes them safe map keys and hashes.
// The zero value is 0.
type Decimal struct {
	micros int64
}

// NewDecimal returns the whole number units as a Decimal.
func NewDecimal(units int64) Decimal { return Decimal{micros: units * decimalUnit} }

// DecimalFromMicros returns the Decimal micros / 10^DecimalPlaces.
func DecimalFromMicros(micros int64) Decimal { return Decimal{micros: micros} }

// Micros returns the number as an integer count of 10^-DecimalPlaces.
func (d Decimal) Micros() int64 { return d.micros }

// ParseDecimal reads a plain decimal such as "12", "-3.5", "+0.25" or ".5".
// Surrounding space is ignored. Empty text, thousands separators ("1,50"),
// exponents ("1e3"), NaN and values beyond ±9,223,372,036,854 are errors
// wrapping ErrDecimal that quote the text.
func ParseDecimal(s string) (Decimal, error) {
	t := strings.TrimSpace(s)
	neg := false
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(t, ".")
	if (intPart == "" && fracPart == "") || (hasDot && strings.Contains(fracPart, ".")) ||
		!allDigits(intPart) || !allDigits(fracPart) {
		return Decimal{}, fmt.Errorf("%q: %w", s, ErrDecimal)
	}
	var micros int64
	for _, c := range intPart {
		if micros > (math.MaxInt64-9)/10 {
			return Decimal{}, fmt.Errorf("%q: out of range: %w", s, ErrDecimal)
		}
		micros = micros*10 + int64(c-'0')
	}
	if micros > math.MaxInt64/decimalUnit {
		return Decimal{}, fmt.Errorf("%q: out of range: %w", s, ErrDecimal)
	}
	micros *= decimalUnit
	scale := int64(decimalUnit / 10)
	for i, c := range fracPart {
		if i == DecimalPlaces {
			if c >= '5' {
				micros++
			}
			break
		}
		micros += int64(c-'0') * scale
		scale /= 10
	}
	if neg {
		micros = -micros
	}
	return Decimal{micros: micros}, nil
}

// MustDecimal is ParseDecimal for constants in tests and examples; it panics
// on bad input.
func MustDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromFloat converts a JSON float (as some APIs send quantities and
// prices) to the nearest Decimal. NaN and infinities are errors.
func DecimalFromFloat(f float64) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > math.MaxInt64/decimalUnit {
		return Decimal{}, fmt.Errorf("%v: %w", f, ErrDecimal)
	}
	return Decimal{micros: int64(math.Round(f * decimalUnit))}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Round returns d rounded half away from zero to places fraction digits
// (0..DecimalPlaces). It is how money is compared "at the store's precision".
func (d Decimal) Round(places int) Decimal {
	if places >= DecimalPlaces || places < 0 {
		return d
	}
	step := int64(1)
	for i := places; i < DecimalPlaces; i++ {
		step *= 10
	}
	q, r := d.micros/step, d.micros%step
	if r >= step/2 {
		q++
	} else if r <= -step/2 {
		q--
	}
	return Decimal{micros: q * step}
}

// Add returns d + e.
func (d Decimal) Add(e Decimal) Decimal { return Decimal{micros: d.micros + e.micros} }

// Sub returns d - e.
func (d Decimal) Sub(e Decimal) Decimal { return Decimal{micros: d.micros - e.micros} }

// Neg returns -d.
func (d Decimal) Neg() Decimal { return Decimal{micros: -d.micros} }

// MulInt returns d * n.
func (d Decimal) MulInt(n int64) Decimal { return Decimal{micros: d.micros * n} }

// Mul returns d * e rounded to DecimalPlaces.
func (d Decimal) Mul(e Decimal) Decimal {
	// Split to avoid overflow for the magnitudes money and stock reach.
	whole := d.micros * (e.micros / decimalUnit)
	frac := float64(d.micros) * float64(e.micros%decimalUnit) / decimalUnit
	return Decimal{micros: whole + int64(math.Round(frac))}
}

// Cmp returns -1, 0 or +1 as d is less than, equal to or greater than e.
func (d Decimal) Cmp(e Decimal) int {
	switch {
	case d.micros < e.micros:
		return -1
	case d.micros > e.micros:
		return 1
	}
	return 0
}

// IsZero reports whether d is 0.
func (d Decimal) IsZero() bool { return d.micros == 0 }

// IsInteger reports whether d has no fraction.
func (d Decimal) IsInteger() bool { return d.micros%decimalUnit == 0 }

// IntPart returns the integer part of d, truncated toward zero.
func (d Decimal) IntPart() int64 { return d.micros / decimalUnit }

// Float returns d as a float64, for APIs that want JSON numbers.
func (d Decimal) Float() float64 { return float64(d.micros) / decimalUnit }

// String returns the shortest exact text: "12", "12.5", "-0.25".
func (d Decimal) String() string {
	m := d.micros
	sign := ""
	if m < 0 {
		sign = "-"
	}
	u := uint64(m)
	if m < 0 {
		u = uint64(-m)
	}
	s := strconv.FormatUint(u/decimalUnit, 10)
	if f := u % decimalUnit; f != 0 {
		fs := strconv.FormatUint(f+decimalUnit, 10)[1:]
		s += "." + strings.TrimRight(fs, "0")
	}
	return sign + s
}

// StringFixed returns d with exactly places fraction digits, rounded:
// StringFixed(2) of 12.5 is "12.50". It is how prices are sent to stores.
func (d Decimal) StringFixed(places int) string {
	if places < 0 {
		places = 0
	}
	if places > DecimalPlaces {
		places = DecimalPlaces
	}
	s := d.Round(places).String()
	if places == 0 {
		return s
	}
	whole, frac, _ := strings.Cut(s, ".")
	return whole + "." + frac + strings.Repeat("0", places-len(frac))
}

// MarshalText encodes d as its exact decimal text.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes exact decimal text.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
