package nexosim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

type call struct {
	s    *Sim
	r    *http.Request
	user int
	b    body
}

func (c *call) id() int { n, _ := strconv.Atoi(c.r.PathValue("id")); return n }

// rawBody is written as is (e.g. the empty 200 of an unknown barcode).
type rawBody []byte

func (s *Sim) h(fn func(c *call) (any, *apiError)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, r: r, b: decodeBody(r)}
		c.user, _ = r.Context().Value(ctxKey{}).(int)
		s.mu.Lock()
		v, err := fn(c)
		var out []byte
		var merr error
		if err == nil {
			if rb, ok := v.(rawBody); ok {
				out = rb
			} else {
				out, merr = json.Marshal(v)
			}
		}
		s.mu.Unlock()
		if err != nil {
			s.render(w, r, err)
			return
		}
		if merr != nil {
			s.render(w, r, exception("%v", merr))
			return
		}
		if _, ok := v.(rawBody); ok {
			// Laravel wraps a non-array return (false) in a text/html Response.
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		} else {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(out)
	}
}

func (s *Sim) routes() *http.ServeMux {
	m := http.NewServeMux()
	st := func() *state { return s.st }
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprintf(w, "<!DOCTYPE html><html><head><title>NexoPOS %s</title></head><body>NexoPOS</body></html>", s.opts.Version)
	})
	m.HandleFunc("GET /sign-in", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Sign In &mdash; NexoPOS</title></head><body><form method=\"post\"></form></body></html>")
	})
	m.HandleFunc("GET /api/user", s.h(func(c *call) (any, *apiError) { return *st().usr.get(c.user), nil }))

	// products
	m.HandleFunc("GET /api/products", s.h(func(c *call) (any, *apiError) {
		out := make([]Product, 0, len(st().prod.ids))
		st().prod.each(func(p *Product) {
			if p.ProductType != "variation" {
				out = append(out, *p)
			}
		})
		return out, nil
	}))
	m.HandleFunc("GET /api/products/{id}", s.h(func(c *call) (any, *apiError) {
		p, err := st().findProduct(c.r.PathValue("id"), c.r.URL.Query().Get("as"))
		if err != nil {
			return nil, err
		}
		if p == nil {
			return rawBody(nil), nil
		}
		return *p, nil
	}))
	m.HandleFunc("GET /api/products/{id}/units", s.h(func(c *call) (any, *apiError) {
		p, err := st().findProduct(c.r.PathValue("id"), c.r.URL.Query().Get("as"))
		if err != nil || p == nil {
			return []any{}, err
		}
		return st().unitRowsWithUnit(p.ID, false), nil
	}))
	m.HandleFunc("GET /api/products/{id}/units/quantities", s.h(func(c *call) (any, *apiError) {
		if st().prod.get(c.id()) == nil {
			return nil, modelMissing("Product", c.r.PathValue("id"))
		}
		return st().unitRowsWithUnit(c.id(), true), nil
	}))
	m.HandleFunc("GET /api/products/{id}/history", s.h(func(c *call) (any, *apiError) {
		out := []HistoryRow{}
		st().hist.each(func(h *HistoryRow) {
			if h.ProductID == c.id() {
				out = append(out, *h)
			}
		})
		return out, nil
	}))
	m.HandleFunc("POST /api/products", s.h(func(c *call) (any, *apiError) {
		p, err := st().saveProduct(0, c.b, c.user)
		if err != nil {
			return nil, err
		}
		return map[string]any{"status": "success", "message": "The product has been saved.",
			"data": map[string]any{"product": st().withUnits(p), "editUrl": fmt.Sprintf("%s/dashboard/products/edit/%d", s.URL(), p.ID)}}, nil
	}))
	m.HandleFunc("PUT /api/products/{id}", s.h(func(c *call) (any, *apiError) {
		p, err := st().saveProduct(c.id(), c.b, c.user)
		if err != nil {
			return nil, err
		}
		return map[string]any{"status": "success", "message": "The product has been updated",
			"data": map[string]any{"product": st().withUnits(p), "editUrl": fmt.Sprintf("%s/dashboard/products/edit/%d", s.URL(), p.ID)}}, nil
	}))
	m.HandleFunc("DELETE /api/products/{id}", s.h(func(c *call) (any, *apiError) { return st().deleteProduct(c.id()) }))
	m.HandleFunc("POST /api/products/search", s.h(func(c *call) (any, *apiError) { return st().searchProducts(c.b), nil }))
	m.HandleFunc("POST /api/products/adjustments", s.h(func(c *call) (any, *apiError) { return st().adjust(c.b, c.user) }))

	// orders
	m.HandleFunc("GET /api/orders", s.h(func(c *call) (any, *apiError) {
		out := []OrderDetail{}
		st().ord.each(func(o *Order) {
			d := OrderDetail{Order: *o}
			if u := st().usr.get(o.CustomerID); u != nil {
				cu := *u
				d.Customer = &cu
			}
			out = append(out, d)
		})
		return out, nil
	}))
	m.HandleFunc("GET /api/orders/{id}", s.h(func(c *call) (any, *apiError) {
		// OrdersController::getOrders(?Order $id) binds the route's {id?}
		// to the model: an unknown id is a route-model miss (404).
		o, err := st().orderOr404(c.id())
		if err != nil {
			return nil, err
		}
		return st().orderDetail(o), nil
	}))
	m.HandleFunc("GET /api/orders/payments", s.h(func(c *call) (any, *apiError) {
		opts := []map[string]any{}
		st().pay.each(func(p *PaymentType) {
			if p.Active == 1 {
				opts = append(opts, map[string]any{"label": p.Label, "value": p.Identifier})
			}
		})
		return []any{map[string]any{"name": "identifier", "label": "Payment Type", "type": "select", "options": opts, "validation": "required"}}, nil
	}))
	m.HandleFunc("POST /api/orders", s.h(func(c *call) (any, *apiError) {
		o, err := s.createOrder(c.b, c.user)
		if err != nil {
			return nil, err
		}
		d := st().orderDetail(o)
		return map[string]any{"status": "success", "message": "The order has been placed.",
			"data": map[string]any{"order": placedOrder{Order: d.Order, Products: d.Products, Payments: d.Payments, Coupons: []any{}}}}, nil
	}))
	m.HandleFunc("POST /api/orders/{id}/payments", s.h(func(c *call) (any, *apiError) { return st().orderPayment(c.id(), c.b, c.user) }))
	m.HandleFunc("POST /api/orders/{id}/void", s.h(func(c *call) (any, *apiError) { return st().voidOrder(c.id(), c.b, c.user) }))
	m.HandleFunc("POST /api/orders/{id}/refund", s.h(func(c *call) (any, *apiError) { return st().refundOrder(c.id(), c.b, c.user) }))
	m.HandleFunc("DELETE /api/orders/{id}", s.h(func(c *call) (any, *apiError) { return st().deleteOrder(c.id(), c.user) }))

	s.entityRoutes(m)
	s.crudRoutes(m)
	return m
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

type placedOrder struct {
	Order
	Products []OrderProductWithUnit `json:"products"`
	Payments []OrderPayment         `json:"payments"`
	Coupons  []any                  `json:"coupons"`
}
