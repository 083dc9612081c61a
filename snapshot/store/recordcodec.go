package store

import (
	"fmt"
	"time"

	"github.com/woonexo/woonexo/snapshot"
)

// recordFormat is the first byte of every record value. A later layout of
// the same schema would take a new number and decode both.
const recordFormat byte = 1

// header starts every record value: format byte, content hash, then the
// modification time. The body that follows depends on the kind; a record's
// id is its key and is not repeated in the value.
func (e *encoder) header(hash string, modified time.Time) {
	e.byte(recordFormat)
	e.str(hash)
	e.time(modified)
}

func (d *decoder) header() (hash string, modified time.Time) {
	if f := d.byte(); f != recordFormat && d.err == nil {
		d.err = fmt.Errorf("record format %d: %w", f, ErrCorrupt)
	}
	return d.str(), d.time()
}

func (e *encoder) category(c *snapshot.Category) {
	e.str(c.Name)
	e.str(string(c.ParentID))
	e.str(c.Description)
}

func (d *decoder) category(c *snapshot.Category) {
	c.Name = d.str()
	c.ParentID = snapshot.ID(d.str())
	c.Description = d.str()
}

func (e *encoder) product(p *snapshot.Product) {
	e.str(p.SKU)
	e.str(p.Barcode)
	e.str(p.Name)
	e.str(p.Description)
	e.str(string(p.Status))
	e.decimal(p.RegularPrice)
	e.decimal(p.SalePrice)
	e.bool(p.HasSalePrice)
	e.ids(p.CategoryIDs)
	e.bool(p.ManageStock)
	e.decimal(p.Stock)
	e.str(string(p.UnitID))
}

func (d *decoder) product(p *snapshot.Product) {
	p.SKU = d.str()
	p.Barcode = d.str()
	p.Name = d.str()
	p.Description = d.str()
	p.Status = snapshot.ProductStatus(d.str())
	p.RegularPrice = d.decimal()
	p.SalePrice = d.decimal()
	p.HasSalePrice = d.bool()
	p.CategoryIDs = d.ids()
	p.ManageStock = d.bool()
	p.Stock = d.decimal()
	p.UnitID = snapshot.ID(d.str())
}

func (e *encoder) address(a *snapshot.Address) {
	for _, s := range [...]string{a.FirstName, a.LastName, a.Company, a.Address1, a.Address2, a.City,
		a.State, a.Postcode, a.Country, a.Email, a.Phone} {
		e.str(s)
	}
}

func (d *decoder) address(a *snapshot.Address) {
	for _, s := range [...]*string{&a.FirstName, &a.LastName, &a.Company, &a.Address1, &a.Address2, &a.City,
		&a.State, &a.Postcode, &a.Country, &a.Email, &a.Phone} {
		*s = d.str()
	}
}

func (e *encoder) customer(c *snapshot.Customer) {
	e.str(c.Email)
	e.str(c.FirstName)
	e.str(c.LastName)
	e.str(c.Phone)
	e.str(c.Role)
	e.address(&c.Billing)
	e.address(&c.Shipping)
}

func (d *decoder) customer(c *snapshot.Customer) {
	c.Email = d.str()
	c.FirstName = d.str()
	c.LastName = d.str()
	c.Phone = d.str()
	c.Role = d.str()
	d.address(&c.Billing)
	d.address(&c.Shipping)
}

func (e *encoder) order(o *snapshot.Order) {
	e.str(o.Number)
	e.str(o.Reference)
	e.str(string(o.Status))
	e.str(o.RawStatus)
	e.str(string(o.CustomerID))
	e.str(o.Email)
	e.str(o.Currency)
	e.uvarint(uint64(len(o.Lines)))
	for i := range o.Lines {
		l := &o.Lines[i]
		e.str(string(l.Kind))
		e.str(string(l.ProductID))
		e.str(l.SKU)
		e.str(l.Name)
		e.decimal(l.Quantity)
		e.decimal(l.UnitPrice)
		e.decimal(l.Total)
	}
	e.decimal(o.Shipping)
	e.decimal(o.Total)
	e.str(o.PaymentMethod)
	e.str(o.PaymentTitle)
	e.address(&o.Billing)
	e.address(&o.ShippingAddr)
	e.str(o.Note)
	e.bool(o.StockReduced)
	e.time(o.Created)
}

func (d *decoder) order(o *snapshot.Order) {
	o.Number = d.str()
	o.Reference = d.str()
	o.Status = snapshot.OrderStatus(d.str())
	o.RawStatus = d.str()
	o.CustomerID = snapshot.ID(d.str())
	o.Email = d.str()
	o.Currency = d.str()
	if n := d.count(7); n > 0 {
		o.Lines = make([]snapshot.OrderLine, n)
		for i := range o.Lines {
			l := &o.Lines[i]
			l.Kind = snapshot.LineKind(d.str())
			l.ProductID = snapshot.ID(d.str())
			l.SKU = d.str()
			l.Name = d.str()
			l.Quantity = d.decimal()
			l.UnitPrice = d.decimal()
			l.Total = d.decimal()
		}
	}
	o.Shipping = d.decimal()
	o.Total = d.decimal()
	o.PaymentMethod = d.str()
	o.PaymentTitle = d.str()
	d.address(&o.Billing)
	d.address(&o.ShippingAddr)
	o.Note = d.str()
	o.StockReduced = d.bool()
	o.Created = d.time()
}

func (e *encoder) paymentMethod(m *snapshot.PaymentMethod) {
	e.str(m.Identifier)
	e.str(m.Title)
	e.bool(m.Enabled)
}

func (d *decoder) paymentMethod(m *snapshot.PaymentMethod) {
	m.Identifier = d.str()
	m.Title = d.str()
	m.Enabled = d.bool()
}

// fields is the value of a baseline: the pairs sorted by name.
func (e *encoder) fields(f snapshot.Fields) {
	e.uvarint(uint64(len(f)))
	for _, k := range sortedKeys(f) {
		e.str(k)
		e.str(f[k])
	}
}

func (d *decoder) fields() snapshot.Fields {
	n := d.count(2)
	f := make(snapshot.Fields, n)
	for range n {
		k := d.str()
		f[k] = d.str()
	}
	return f
}
