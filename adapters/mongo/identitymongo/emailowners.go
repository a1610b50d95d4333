package identitymongo

import "sync"

// maxRememberedEmails bounds emailOwners (about 100 bytes an entry).
const maxRememberedEmails = 100_000

// emailOwners remembers which user an address led to, so that the next login
// with it reads the user without reading the claim first. It is a hint, never
// an answer: GetByEmail checks every hit against the user it reads.
type emailOwners struct {
	mu  sync.RWMutex
	max int
	ids map[string]string
}

func newEmailOwners(max int) *emailOwners {
	return &emailOwners{max: max, ids: make(map[string]string)}
}

func (o *emailOwners) get(email string) (string, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	id, ok := o.ids[email]
	return id, ok
}

func (o *emailOwners) remember(email, userID string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.ids) >= o.max {
		o.ids = make(map[string]string) // crude but bounded: one claim read per address to refill
	}
	o.ids[email] = userID
}

func (o *emailOwners) forget(email string) {
	o.mu.Lock()
	delete(o.ids, email)
	o.mu.Unlock()
}
