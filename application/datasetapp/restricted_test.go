package datasetapp_test

import (
	"context"
	"io"
	"sync"
	"testing"

	"github.com/civicdatatrust/civictrust/application/datasetapp"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

// grants answers as governance would: the grants it holds are active, and it
// counts the questions.
type grants struct {
	mu     sync.Mutex
	active map[string]string // user id → grant id
	asked  int
}

func (g *grants) ActiveGrant(_ context.Context, _, userID string) (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked++
	return g.active[userID], nil
}

func (g *grants) set(userID, grantID string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.active[userID] = grantID
}

func (g *grants) questions() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.asked
}

// A restricted dataset: metadata for every signed-in user, the file for those
// who manage it and for holders of an active grant, asked of governance at
// every download (never cached), the grant named in the access log.
func TestRestrictedDataset(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	g := &grants{active: map[string]string{}}
	deps := f.deps()
	deps.Grants = g
	f.svc = datasetapp.New(deps, datasetapp.Settings{MaxUploadBytes: 1024})
	restricted := dataset.Restricted
	d := f.create(t, datasetport.CreateInput{CommunityID: community, Visibility: &restricted}, "secret,rows\n")
	if d.Visibility() != dataset.Restricted {
		t.Fatalf("visibility %s", d.Visibility())
	}
	download := func(p kernel.Principal) (datasetport.Download, error) {
		dl, err := f.svc.Open(metaCtx(t), p, d.ID(), 0, 0, -1, true)
		if err == nil {
			_, _ = io.Copy(io.Discard, dl.Body)
			_ = dl.Body.Close()
		}
		return dl, err
	}

	t.Run("everyone_signed_in_sees_the_metadata_and_the_list", func(t *testing.T) {
		for _, p := range []kernel.Principal{who(strangeID), who(memberID)} {
			if _, err := f.svc.Get(metaCtx(t), p, d.ID()); err != nil {
				t.Errorf("Get as %s: %v", p.UserID, err)
			}
			if _, err := f.svc.Versions(t.Context(), p, d.ID()); err != nil {
				t.Errorf("Versions as %s: %v", p.UserID, err)
			}
			ds, _, err := f.svc.List(t.Context(), p, datasetport.Filter{}, 1, 20)
			if err != nil || len(ds) != 1 || ds[0].ID() != d.ID() {
				t.Errorf("List as %s = %v, %v", p.UserID, ds, err)
			}
		}
	})

	t.Run("without_a_grant_the_file_is_refused_with_grant_required", func(t *testing.T) {
		for _, p := range []kernel.Principal{who(strangeID), who(memberID)} {
			_, err := download(p)
			wantKind(t, err, dataset.ErrGrantRequired)
			_, err = f.svc.Open(metaCtx(t), p, d.ID(), 1, 0, -1, false)
			wantKind(t, err, dataset.ErrGrantRequired)
		}
	})

	t.Run("managers_download_without_asking_governance", func(t *testing.T) {
		before := g.questions()
		for _, p := range []kernel.Principal{who(ownerID), who(adminID), who(strangeID, kernel.AdminRoleName)} {
			if _, err := download(p); err != nil {
				t.Errorf("download as %v: %v", p, err)
			}
		}
		if n := g.questions() - before; n != 0 {
			t.Errorf("governance asked %d times for managers", n)
		}
	})

	t.Run("an_active_grant_lets_the_grantee_download_and_is_logged", func(t *testing.T) {
		g.set(strangeID, "g00000000000000000000001")
		if _, err := download(who(strangeID)); err != nil {
			t.Fatalf("download under a grant: %v", err)
		}
		entries, _, _ := f.log.List(t.Context(), d.ID(), 0, 1)
		if len(entries) != 1 || entries[0].Action != "download" || entries[0].GrantID != "g00000000000000000000001" || entries[0].ActorID != strangeID {
			t.Errorf("latest access log entry = %+v", entries)
		}
		_, rights, err := f.svc.Rights(t.Context(), who(strangeID), d.ID())
		if err != nil || !rights.Download || rights.Change {
			t.Errorf("Rights of the grantee = %+v, %v", rights, err)
		}
	})

	t.Run("a_grant_that_ends_takes_effect_at_the_next_download", func(t *testing.T) {
		before := g.questions()
		g.set(strangeID, "")
		_, err := download(who(strangeID))
		wantKind(t, err, dataset.ErrGrantRequired)
		if g.questions() == before {
			t.Error("governance was not asked again")
		}
	})

	t.Run("a_manager_s_download_names_no_grant", func(t *testing.T) {
		if _, err := download(who(ownerID)); err != nil {
			t.Fatal(err)
		}
		entries, _, _ := f.log.List(t.Context(), d.ID(), 0, 1)
		if len(entries) != 1 || entries[0].GrantID != "" {
			t.Errorf("latest entry = %+v", entries)
		}
	})
}

func TestRestrictedNeedsACommunity(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	restricted := dataset.Restricted
	_, err := f.upload(t, who(ownerID), datasetport.UploadTarget{}, datasetport.CreateInput{Visibility: &restricted}, "x")
	wantKind(t, err, dataset.ErrRestrictedNeedsCommunity)
	if f.blobs.Len() != 0 {
		t.Errorf("%d blobs kept", f.blobs.Len())
	}
	d := f.create(t, datasetport.CreateInput{}, "x")
	_, err = f.svc.Update(metaCtx(t), who(ownerID), d.ID(), datasetport.UpdateInput{Visibility: &restricted})
	wantKind(t, err, dataset.ErrRestrictedNeedsCommunity)
}
