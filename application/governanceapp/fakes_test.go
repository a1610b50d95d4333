package governanceapp_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/memory/governancemem"
	"github.com/civicdatatrust/civictrust/application/governanceapp"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// People and places of the fixtures.
const (
	ownerID     = "a00000000000000000000001"
	curatorID   = "a00000000000000000000002" // the community's admin
	memberID    = "a00000000000000000000003"
	researchID  = "a00000000000000000000004" // asks for access
	strangerID  = "a00000000000000000000005"
	adminID     = "a00000000000000000000006" // a global admin
	communityID = "c00000000000000000000001"
	otherCommID = "c00000000000000000000002" // no terms
	restrictedD = "d00000000000000000000001"
	publicD     = "d00000000000000000000002"
	privateD    = "d00000000000000000000003"
	otherD      = "d00000000000000000000004" // restricted, in the community without terms
)

var t0 = time.Date(2025, 9, 4, 12, 0, 0, 0, time.UTC)

const purpose = "Modelling traffic noise near schools for the city council"

func who(id string, roles ...string) kernel.Principal {
	return kernel.Principal{UserID: id, RoleNames: roles}
}

var globalAdmin = who(adminID, kernel.AdminRoleName)

// clock is a fake clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// datasets serves a few datasets; who may download a restricted one is the
// managers and the holders of an active grant, asked of the service, as the
// datasets context does.
type datasets struct {
	svc *governanceapp.Service
}

type fixtureDataset struct {
	title, community, owner string
	restricted, public      bool
}

var fixtureDatasets = map[string]fixtureDataset{
	restrictedD: {"Noise 2025", communityID, ownerID, true, false},
	publicD:     {"Open data", communityID, ownerID, false, true},
	privateD:    {"Drafts", communityID, ownerID, false, false},
	otherD:      {"Elsewhere", otherCommID, ownerID, true, false},
}

func (d *datasets) Dataset(ctx context.Context, p kernel.Principal, id string) (governanceport.Dataset, error) {
	f, ok := fixtureDatasets[id]
	if !ok {
		return governanceport.Dataset{}, governance.ErrDatasetNotFound
	}
	manage := p.IsAdmin() || p.UserID == f.owner || (p.UserID == curatorID && f.community == communityID)
	if !manage && !f.restricted && !f.public {
		return governanceport.Dataset{}, governance.ErrDatasetNotFound
	}
	out := governanceport.Dataset{ID: id, Title: f.title, CommunityID: f.community, OwnerID: f.owner,
		Restricted: f.restricted, CanDecide: manage, CanDownload: manage || !f.restricted}
	if !out.CanDownload {
		g, err := d.svc.ActiveGrant(ctx, id, p.UserID)
		if err != nil {
			return governanceport.Dataset{}, err
		}
		out.CanDownload = g != ""
	}
	return out, nil
}

type communities struct{}

func (communities) Community(_ context.Context, id string) (governanceport.Community, error) {
	switch id {
	case communityID:
		return governanceport.Community{ID: id, Name: "Riverside", AdminIDs: []string{curatorID}}, nil
	case otherCommID:
		return governanceport.Community{ID: id, Name: "Hillside", AdminIDs: []string{ownerID}}, nil
	}
	return governanceport.Community{}, governance.ErrCommunityNotFound
}

type users struct{}

func (users) User(_ context.Context, id string) (governanceport.User, error) {
	return governanceport.User{ID: id, Name: "User " + id[len(id)-2:], Email: "u" + id[len(id)-2:] + "@example.org"}, nil
}

func emailOf(id string) string { return "u" + id[len(id)-2:] + "@example.org" }

// mailer records messages; fail makes the next sends fail.
type mailer struct {
	mu   sync.Mutex
	sent []platformport.Message
	fail int
}

func (m *mailer) Send(_ context.Context, msg platformport.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail > 0 {
		m.fail--
		return errors.New("smtp: connection refused")
	}
	m.sent = append(m.sent, msg)
	return nil
}

// to returns the messages sent to an address whose subject contains part.
func (m *mailer) to(addr, part string) []platformport.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []platformport.Message
	for _, msg := range m.sent {
		if msg.To == addr && strings.Contains(msg.Subject, part) {
			out = append(out, msg)
		}
	}
	return out
}

// withSubject returns the messages whose subject contains part.
func (m *mailer) withSubject(part string) []platformport.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []platformport.Message
	for _, msg := range m.sent {
		if strings.Contains(msg.Subject, part) {
			out = append(out, msg)
		}
	}
	return out
}

func (m *mailer) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}

// auditLog records events.
type auditLog struct {
	mu     sync.Mutex
	events []audit.Event
}

func (l *auditLog) Append(_ context.Context, e audit.Event) (*audit.Event, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, e)
	return &e, nil
}

func (l *auditLog) of(action string) []audit.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []audit.Event
	for _, e := range l.events {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// reporter collects reported failures.
type reporter struct {
	mu  sync.Mutex
	ops []string
}

func (r *reporter) Report(_ context.Context, op string, _ error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ops = append(r.ops, op)
}

// store is one governance store, as several instances of the service share it.
type store struct {
	terms    *governancemem.TermsRepository
	consents *governancemem.ConsentRepository
	requests *governancemem.AccessRequestRepository
	grants   governanceport.GrantRepository
	notices  governanceport.NoticeClaimRepository
}

func newStore() *store {
	return &store{governancemem.NewTermsRepository(), governancemem.NewConsentRepository(),
		governancemem.NewAccessRequestRepository(), governancemem.NewGrantRepository(), governancemem.NewNoticeClaimRepository()}
}

type fixture struct {
	svc    *governanceapp.Service
	store  *store
	clock  *clock
	mail   *mailer
	audit  *auditLog
	report *reporter
}

// newFixture is one instance of the service on st (nil: a new store) with
// its own clock, mailer and audit log.
func newFixture(t *testing.T, st *store) *fixture {
	t.Helper()
	if st == nil {
		st = newStore()
	}
	f := &fixture{store: st, clock: &clock{now: t0}, mail: &mailer{}, audit: &auditLog{}, report: &reporter{}}
	ds := &datasets{}
	f.svc = governanceapp.New(governanceapp.Deps{
		Terms: st.terms, Consents: st.consents, Requests: st.requests, Grants: st.grants, Notices: st.notices,
		Datasets: ds, Communities: communities{}, Users: users{},
		Mailer: f.mail, Clock: f.clock, Reporter: f.report, Audit: f.audit,
	})
	ds.svc = f.svc
	return f
}

// ctxFrom is a request context with its meta.
func ctxFrom(t *testing.T) context.Context {
	return kernel.WithRequestMeta(t.Context(), kernel.RequestMeta{IP: "198.51.100.7", UserAgent: "test", RequestID: "req-1"})
}

func (f *fixture) publish(t *testing.T, communityID string) *governance.Terms {
	t.Helper()
	terms, err := f.svc.PublishTerms(ctxFrom(t), who(curatorID), communityID, governanceport.TermsInput{Title: "Data use agreement", Body: "Use it well."})
	if err != nil {
		t.Fatalf("PublishTerms: %v", err)
	}
	return terms
}

// ask files the researcher's request for the restricted dataset, for days days.
func (f *fixture) ask(t *testing.T, version, days int) *governance.AccessRequest {
	t.Helper()
	return f.askFor(t, researchID, version, days)
}

// askFor files requesterID's request for the restricted dataset, for days days.
func (f *fixture) askFor(t *testing.T, requesterID string, version, days int) *governance.AccessRequest {
	t.Helper()
	r, err := f.svc.RequestAccess(ctxFrom(t), who(requesterID), restrictedD, governance.RequestInput{
		Purpose: purpose, Organization: "City Lab", RequestedUntil: f.clock.Now().Add(time.Duration(days) * 24 * time.Hour), TermsVersion: version,
	})
	if err != nil {
		t.Fatalf("RequestAccess: %v", err)
	}
	return r
}

// grant files the researcher's request and approves it, for days days.
func (f *fixture) grant(t *testing.T, days int) (*governance.AccessRequest, *governance.Grant) {
	t.Helper()
	return f.grantFor(t, researchID, days)
}

// grantFor files requesterID's request and approves it, for days days.
func (f *fixture) grantFor(t *testing.T, requesterID string, days int) (*governance.AccessRequest, *governance.Grant) {
	t.Helper()
	r := f.askFor(t, requesterID, 0, days)
	approved, err := f.svc.Approve(ctxFrom(t), who(curatorID), restrictedD, r.ID, governanceport.ApproveInput{})
	if err != nil {
		t.Fatalf("Approve: %v", err)
	}
	g, err := f.store.grants.Get(t.Context(), approved.GrantID)
	if err != nil {
		t.Fatalf("the approval's grant: %v", err)
	}
	return approved, g
}

func wantErr(t *testing.T, err error, want *kernel.Error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Errorf("got %v, want %s", err, want.Code)
	}
}

func contains(xs []string, x string) bool { return slices.Contains(xs, x) }

// barrier holds every caller of Claimed until parties have called it (or a
// second has passed), then lets them all go on together: concurrent runs of
// the notices then reach Claim at the same moment, and only the claim can
// keep them from doing the same work twice.
type barrier struct {
	governanceport.NoticeClaimRepository
	parties int
	mu      sync.Mutex
	waiting int
	release chan struct{}
}

func newBarrier(repo governanceport.NoticeClaimRepository, parties int) *barrier {
	return &barrier{NoticeClaimRepository: repo, parties: parties, release: make(chan struct{})}
}

func (b *barrier) Claimed(ctx context.Context, n governance.Notice, ids []string) (map[string]bool, error) {
	got, err := b.NoticeClaimRepository.Claimed(ctx, n, ids)
	b.mu.Lock()
	b.waiting++
	release := b.release
	if b.waiting == b.parties {
		close(b.release)
		b.waiting, b.release = 0, make(chan struct{})
	}
	b.mu.Unlock()
	select {
	case <-release:
	case <-time.After(time.Second):
	}
	return got, err
}

// flakyGrants fails the first fails creations as a store that did not answer.
type flakyGrants struct {
	governanceport.GrantRepository
	mu    sync.Mutex
	fails int
}

func (f *flakyGrants) Create(ctx context.Context, g *governance.Grant) error {
	f.mu.Lock()
	fail := f.fails > 0
	f.fails--
	f.mu.Unlock()
	if fail {
		return kernel.Unavailable(errors.New("connection reset"))
	}
	return f.GrantRepository.Create(ctx, g)
}
