package nexosim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

type tokenRow struct {
	userID int
	name   string
	hash   string // hex SHA-256 of the secret, as Sanctum stores it
}

const tokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// AddToken mints a personal access token for userID (AdminID for the
// administrator) and returns its plain text "<id>|<secret>".
func (s *Sim) AddToken(userID int, name string) string {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	var b strings.Builder
	for range 40 {
		b.WriteByte(tokenAlphabet[s.rng.Intn(len(tokenAlphabet))])
	}
	secret := b.String()
	s.nextTok++
	id := s.nextTok
	sum := sha256.Sum256([]byte(secret))
	s.tokens[id] = tokenRow{userID: userID, name: name, hash: hex.EncodeToString(sum[:])}
	return strconv.Itoa(id) + "|" + secret
}

// RevokeToken deletes a token by its plain text; later requests with it get 401.
func (s *Sim) RevokeToken(plain string) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	if id, _, ok := strings.Cut(plain, "|"); ok {
		n, _ := strconv.Atoi(id)
		delete(s.tokens, n)
	}
}

// authenticate returns the user id behind the request's bearer token, or 0.
// Like Sanctum it splits on "|", finds the row by id and compares the hash;
// a token without "|" is looked up by hash alone.
func (s *Sim) authenticate(r *http.Request) int {
	h := r.Header.Get("Authorization")
	if len(h) < 7 || !strings.EqualFold(h[:7], "bearer ") {
		return 0
	}
	tok := strings.TrimSpace(h[7:])
	s.ctl.Lock()
	defer s.ctl.Unlock()
	if id, secret, ok := strings.Cut(tok, "|"); ok {
		n, err := strconv.Atoi(id)
		row, found := s.tokens[n]
		if err != nil || !found {
			return 0
		}
		sum := sha256.Sum256([]byte(secret))
		if subtle.ConstantTimeCompare([]byte(hex.EncodeToString(sum[:])), []byte(row.hash)) != 1 {
			return 0
		}
		return row.userID
	}
	sum := sha256.Sum256([]byte(tok))
	want := hex.EncodeToString(sum[:])
	for _, row := range s.tokens {
		if row.hash == want {
			return row.userID
		}
	}
	return 0
}

// expectsJSON mirrors Laravel's Request::expectsJson: an AJAX request that
// accepts anything, or one whose first accepted type is JSON.
func expectsJSON(r *http.Request) bool {
	accept := strings.TrimSpace(r.Header.Get("Accept"))
	first := strings.TrimSpace(strings.Split(accept, ",")[0])
	if i := strings.IndexByte(first, ';'); i >= 0 {
		first = strings.TrimSpace(first[:i])
	}
	if strings.Contains(first, "/json") || strings.Contains(first, "+json") {
		return true
	}
	ajax := r.Header.Get("X-Requested-With") == "XMLHttpRequest"
	anyType := accept == "" || first == "*/*" || first == "*"
	return ajax && anyType
}

// stateful reports whether Sanctum would treat the request as first-party SPA
// traffic: an Origin or Referer naming a stateful domain (localhost,
// 127.0.0.1 or the store's own host).
func (s *Sim) stateful(r *http.Request) bool {
	ref := r.Header.Get("Origin")
	if ref == "" {
		ref = r.Header.Get("Referer")
	}
	if ref == "" {
		return false
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return false
	}
	host := u.Hostname()
	if host == "localhost" || host == "127.0.0.1" || host == "::1" {
		return true
	}
	own, _ := url.Parse(s.URL())
	return own != nil && strings.EqualFold(u.Host, own.Host)
}

// csrfFails reports a stateful unsafe request without a CSRF token header;
// Laravel answers those with 419.
func csrfFails(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return r.Header.Get("X-CSRF-TOKEN") == "" && r.Header.Get("X-XSRF-TOKEN") == ""
}

func (s *Sim) redirectToSignIn(w http.ResponseWriter) {
	loc := s.URL() + "/sign-in"
	w.Header().Set("Location", loc)
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusFound)
	fmt.Fprintf(w, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"UTF-8\" />\n<meta http-equiv=\"refresh\" content=\"0;url='%[1]s'\" />\n<title>Redirecting to %[1]s</title>\n</head>\n<body>\nRedirecting to <a href=\"%[1]s\">%[1]s</a>.\n</body>\n</html>", loc)
}
