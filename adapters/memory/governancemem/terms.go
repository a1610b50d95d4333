package governancemem

import (
	"context"
	"strconv"
	"sync"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// TermsRepository keeps terms in a map, with the versions each community has.
type TermsRepository struct {
	mu        sync.Mutex
	byID      map[string]*governance.Terms
	byVersion map[string]string // community id + version → id
}

var _ governanceport.TermsRepository = (*TermsRepository)(nil)

// NewTermsRepository returns an empty repository.
func NewTermsRepository() *TermsRepository {
	return &TermsRepository{byID: map[string]*governance.Terms{}, byVersion: map[string]string{}}
}

func versionKey(communityID string, version int) string {
	return communityID + "|" + strconv.Itoa(version)
}

// Create stores terms; a version the community has is governance.ErrTermsVersionTaken.
func (r *TermsRepository) Create(_ context.Context, t *governance.Terms) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := versionKey(t.CommunityID, t.Version)
	if _, ok := r.byVersion[key]; ok {
		return governance.ErrTermsVersionTaken
	}
	if _, ok := r.byID[t.ID]; ok {
		return kernel.ErrConflict
	}
	r.byID[t.ID] = t.Clone()
	r.byVersion[key] = t.ID
	return nil
}

// Get returns terms by id.
func (r *TermsRepository) Get(_ context.Context, id string) (*governance.Terms, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.byID[id]
	if !ok {
		return nil, governance.ErrTermsNotFound
	}
	return t.Clone(), nil
}

// Current returns the community's highest version.
func (r *TermsRepository) Current(_ context.Context, communityID string) (*governance.Terms, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := r.of(communityID)
	if len(all) == 0 {
		return nil, governance.ErrTermsNotFound
	}
	return all[0].Clone(), nil
}

// List returns a page of a community's terms, the highest version first.
func (r *TermsRepository) List(_ context.Context, communityID string, skip, limit int) ([]*governance.Terms, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := r.of(communityID)
	return page(all, skip, limit, (*governance.Terms).Clone), int64(len(all)), nil
}

// of lists a community's terms, the highest version first.
func (r *TermsRepository) of(communityID string) []*governance.Terms {
	return sorted(r.byID, func(t *governance.Terms) bool { return t.CommunityID == communityID },
		func(a, b *governance.Terms) int { return b.Version - a.Version })
}

// ConsentRepository keeps consent records in a map.
type ConsentRepository struct {
	mu   sync.Mutex
	byID map[string]*governance.Consent
}

var _ governanceport.ConsentRepository = (*ConsentRepository)(nil)

// NewConsentRepository returns an empty repository.
func NewConsentRepository() *ConsentRepository {
	return &ConsentRepository{byID: map[string]*governance.Consent{}}
}

// Create stores a consent record.
func (r *ConsentRepository) Create(_ context.Context, c *governance.Consent) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[c.ID]; ok {
		return kernel.ErrConflict
	}
	r.byID[c.ID] = c.Clone()
	return nil
}

// List returns a page of the consents that match, the newest first.
func (r *ConsentRepository) List(_ context.Context, f governanceport.ConsentFilter, skip, limit int) ([]*governance.Consent, int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	all := sorted(r.byID, func(c *governance.Consent) bool {
		return (f.UserID == "" || c.UserID == f.UserID) && (f.CommunityID == "" || c.CommunityID == f.CommunityID)
	}, func(a, b *governance.Consent) int { return newestFirst(a.AcceptedAt, a.ID, b.AcceptedAt, b.ID) })
	return page(all, skip, limit, (*governance.Consent).Clone), int64(len(all)), nil
}
