package identitymem

import (
	"context"
	"sync"
	"time"

	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// OneTimeTokenRepository keeps one-time tokens in a map.
type OneTimeTokenRepository struct {
	mu   sync.Mutex
	byID map[string]identity.OneTimeToken
}

var _ identityport.OneTimeTokenRepository = (*OneTimeTokenRepository)(nil)

// NewOneTimeTokenRepository returns an empty repository.
func NewOneTimeTokenRepository() *OneTimeTokenRepository {
	return &OneTimeTokenRepository{byID: map[string]identity.OneTimeToken{}}
}

// Create stores a token.
func (r *OneTimeTokenRepository) Create(_ context.Context, t *identity.OneTimeToken) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[t.ID]; ok {
		return kernel.ErrConflict
	}
	r.byID[t.ID] = cloneToken(*t)
	return nil
}

// cloneToken copies t so that neither the caller nor the map share UsedAt.
func cloneToken(t identity.OneTimeToken) identity.OneTimeToken {
	if t.UsedAt != nil {
		u := *t.UsedAt
		t.UsedAt = &u
	}
	return t
}

// Get returns a token.
func (r *OneTimeTokenRepository) Get(_ context.Context, id string) (*identity.OneTimeToken, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.byID[id]
	if !ok {
		return nil, kernel.ErrNotFound
	}
	c := cloneToken(t)
	return &c, nil
}

// Consume marks a token used, once.
func (r *OneTimeTokenRepository) Consume(_ context.Context, id string, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.byID[id]
	if !ok || t.UsedAt != nil {
		return identity.ErrInvalidOneTime
	}
	t.UsedAt = &at
	r.byID[id] = t
	return nil
}

// ConsumeAll marks every unused token of a user with purpose used.
func (r *OneTimeTokenRepository) ConsumeAll(_ context.Context, userID string, purpose identity.TokenPurpose, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, t := range r.byID {
		if t.UserID == userID && t.Purpose == purpose && t.UsedAt == nil {
			t.UsedAt = &at
			r.byID[id] = t
		}
	}
	return nil
}
