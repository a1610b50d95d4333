package identitymem

import (
	"context"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// SessionRepository keeps sessions in a map.
type SessionRepository struct {
	mu   sync.Mutex
	byID map[string]*identity.Session
}

var _ identityport.SessionRepository = (*SessionRepository)(nil)

// NewSessionRepository returns an empty repository.
func NewSessionRepository() *SessionRepository {
	return &SessionRepository{byID: map[string]*identity.Session{}}
}

func cloneSession(s *identity.Session) *identity.Session {
	c := *s
	c.PreviousHashes = slices.Clone(s.PreviousHashes)
	if s.RevokedAt != nil {
		t := *s.RevokedAt
		c.RevokedAt = &t
	}
	return &c
}

// Create stores a session.
func (r *SessionRepository) Create(_ context.Context, s *identity.Session) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[s.ID]; ok {
		return kernel.ErrConflict
	}
	s.Revision = 1
	r.byID[s.ID] = cloneSession(s)
	return nil
}

// Get returns a session.
func (r *SessionRepository) Get(_ context.Context, id string) (*identity.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byID[id]
	if !ok {
		return nil, identity.ErrSessionNotFound
	}
	return cloneSession(s), nil
}

// Update applies fn atomically.
func (r *SessionRepository) Update(_ context.Context, id string, fn func(*identity.Session) error) (*identity.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	if !ok {
		return nil, identity.ErrSessionNotFound
	}
	next := cloneSession(cur)
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID = id
	next.Revision = cur.Revision + 1
	r.byID[id] = next
	return cloneSession(next), nil
}

// RevokeAllForUser revokes every live session of a user but one.
func (r *SessionRepository) RevokeAllForUser(_ context.Context, userID, exceptID string, at time.Time) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id, s := range r.byID {
		if s.UserID == userID && id != exceptID && s.RevokedAt == nil {
			c := cloneSession(s)
			c.Revoke(at)
			c.Revision++
			r.byID[id] = c
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// ListForUser lists a user's unrevoked sessions, newest first.
func (r *SessionRepository) ListForUser(_ context.Context, userID string) ([]*identity.Session, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*identity.Session
	for _, s := range r.byID {
		if s.UserID == userID && s.RevokedAt == nil {
			out = append(out, cloneSession(s))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID })
	return out, nil
}
