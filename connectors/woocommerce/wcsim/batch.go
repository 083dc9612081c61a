package wcsim

import (
	"encoding/json"
	"strconv"
	"strings"
)

type batchOps struct {
	create    func(body []byte) (any, *apiError)
	update    func(id int, body []byte) (any, *apiError)
	del       func(id int) (any, *apiError)
	invalidID func(status int) *apiError
}

type batchErr struct {
	ID    any            `json:"id"`
	Error map[string]any `json:"error"`
}

func itemError(id any, e *apiError) batchErr {
	return batchErr{ID: id, Error: e.body()}
}

// injectedItemError is what a per-item batch fault returns: the error a
// failing database write gives in WordPress.
func injectedItemError() *apiError {
	return errf(500, "db_update_error", "Could not update post in the database.")
}

// batch runs creates, then updates, then deletes (forced), each item on its
// own; the response is 200 with per-item objects or error objects.
func (s *Sim) batch(c *call, ops batchOps) *response {
	var req struct {
		Create []json.RawMessage `json:"create"`
		Update []json.RawMessage `json:"update"`
		Delete []json.RawMessage `json:"delete"`
	}
	if e := decodeBody(c.body, &req); e != nil {
		return errResponse(e)
	}
	if n := len(req.Create) + len(req.Update) + len(req.Delete); n > 100 {
		return errResponse(errf(413, "woocommerce_rest_request_entity_too_large", "Unable to accept more than 100 items for this request."))
	}
	out := map[string][]any{}
	if len(req.Create) > 0 {
		out["create"] = []any{}
	}
	for _, body := range req.Create {
		if c.faults.itemFails(s) {
			out["create"] = append(out["create"], itemError(0, injectedItemError()))
			continue
		}
		v, e := ops.create(body)
		if e != nil {
			out["create"] = append(out["create"], itemError(0, e))
			continue
		}
		out["create"] = append(out["create"], v)
	}
	if len(req.Update) > 0 {
		out["update"] = []any{}
	}
	for _, body := range req.Update {
		var head struct {
			ID json.RawMessage `json:"id"`
		}
		_ = json.Unmarshal(body, &head)
		id, err := strconv.Atoi(strings.Trim(string(head.ID), `"`))
		if err != nil || id == 0 {
			out["update"] = append(out["update"], itemError(nil, ops.invalidID(400)))
			continue
		}
		if c.faults.itemFails(s) {
			out["update"] = append(out["update"], itemError(id, injectedItemError()))
			continue
		}
		v, e := ops.update(id, body)
		if e != nil {
			out["update"] = append(out["update"], itemError(id, e))
			continue
		}
		out["update"] = append(out["update"], v)
	}
	if len(req.Delete) > 0 {
		out["delete"] = []any{}
	}
	for _, raw := range req.Delete {
		id, err := strconv.Atoi(strings.Trim(string(raw), `"`))
		if err != nil || id == 0 {
			continue
		}
		if c.faults.itemFails(s) {
			out["delete"] = append(out["delete"], itemError(id, injectedItemError()))
			continue
		}
		v, e := ops.del(id)
		if e != nil {
			out["delete"] = append(out["delete"], itemError(id, e))
			continue
		}
		out["delete"] = append(out["delete"], v)
	}
	if len(out) == 0 {
		return ok([]any{})
	}
	return ok(out)
}

func (s *Sim) productsBatch(c *call) *response {
	return s.batch(c, batchOps{
		create: func(b []byte) (any, *apiError) {
			p, e := s.createProduct(b)
			if e != nil {
				return nil, e
			}
			return s.renderProduct(p, c.base, true), nil
		},
		update: func(id int, b []byte) (any, *apiError) {
			p, e := s.updateProduct(id, b)
			if e != nil {
				return nil, e
			}
			return s.renderProduct(p, c.base, true), nil
		},
		del:       func(id int) (any, *apiError) { return s.deleteProduct(id, true, c.base) },
		invalidID: errProductID,
	})
}

func (s *Sim) categoriesBatch(c *call) *response {
	return s.batch(c, batchOps{
		create: func(b []byte) (any, *apiError) {
			cat, e := s.createCategory(b)
			if e != nil {
				return nil, e
			}
			return s.renderCategory(cat, c.base, 0), nil
		},
		update: func(id int, b []byte) (any, *apiError) {
			cat, e := s.updateCategory(id, b)
			if e != nil {
				return nil, e
			}
			return s.renderCategory(cat, c.base, s.categoryCounts()[id]), nil
		},
		del:       func(id int) (any, *apiError) { return s.deleteCategory(id, true, c.base) },
		invalidID: func(int) *apiError { return errTerm() },
	})
}

func (s *Sim) customersBatch(c *call) *response {
	return s.batch(c, batchOps{
		create: func(b []byte) (any, *apiError) {
			u, e := s.createCustomer(b)
			if e != nil {
				return nil, e
			}
			return s.renderCustomer(u, c.base), nil
		},
		update: func(id int, b []byte) (any, *apiError) {
			u, e := s.updateCustomer(id, b)
			if e != nil {
				return nil, e
			}
			return s.renderCustomer(u, c.base), nil
		},
		del:       func(id int) (any, *apiError) { return s.deleteCustomer(id, true, c.base) },
		invalidID: errCustomerID,
	})
}

func (s *Sim) ordersBatch(c *call) *response {
	return s.batch(c, batchOps{
		create: func(b []byte) (any, *apiError) {
			o, e := s.createOrder(b)
			if e != nil {
				return nil, e
			}
			return s.renderOrder(o, c.base), nil
		},
		update: func(id int, b []byte) (any, *apiError) {
			o, e := s.updateOrder(id, b, c.base)
			if e != nil {
				return nil, e
			}
			return s.renderOrder(o, c.base), nil
		},
		del:       func(id int) (any, *apiError) { return s.deleteOrder(id, true, c.base) },
		invalidID: errOrderID,
	})
}
