package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
)

// The seeded world. Uploaders create the communities and the datasets; the
// reader, the first uploader, is the signed-in member whose view the read
// rows measure. Uploader u belongs to every community whose number has u's
// parity, so the reader sees the community datasets of the even uploaders
// and not those of the odd ones; besides those it sees every public
// dataset and its own private ones.
const (
	uploaders   = 8
	communities = 20
	// rareWord appears in a few titles and descriptions (two in every
	// thousand datasets that the reader may see, one it may not), for the
	// search row.
	rareWord = "quokka"
	// userPassword is every seeded user's password.
	userPassword = "Seeded-Passw0rd"
)

var (
	vocabulary = strings.Fields(`air quality traffic counts housing permits budget lines school enrolment park usage water
		meters noise levels bicycle lanes waste collection street lights bus ridership flood sensors tree canopy library loans
		clinic visits energy use rainfall heat map survey responses recycling rates playground census tract rent prices`)
	tagWords = []string{"transport", "housing", "health", "air", "water", "budget", "schools", "parks"}
)

// world is what has been seeded so far.
type world struct {
	api         backend
	admin       *session
	uploaders   []*session
	communities []string // community c was created by uploader c % uploaders
	// loginUsers are signed-up users the login row signs in, one per client.
	loginUsers []person
	users      int
	datasets   int

	mu sync.Mutex
	// visible are the ids of datasets the reader may see (the get-by-id
	// row picks among them).
	visible []string
}

func (w *world) reader() *session { return w.uploaders[0] }

func seededPerson(n int) person {
	return person{name: "Seeded User " + strconv.Itoa(n), email: "user" + strconv.Itoa(n) + "@bench.example.org", password: userPassword}
}

// seedPeople signs up the uploaders and then regular users up to users in
// all, creates the communities and their memberships: each regular user
// joins one community, added by its creator.
func seedPeople(ctx context.Context, api backend, admin *session, users, workers, clients int) (*world, error) {
	w := &world{api: api, admin: admin}
	for u := range uploaders {
		p := seededPerson(u)
		if _, err := api.signUp(ctx, p); err != nil {
			return nil, fmt.Errorf("sign up: %w", err)
		}
		s, err := signIn(ctx, api, p.email, p.password)
		if err != nil {
			return nil, err
		}
		w.uploaders = append(w.uploaders, s)
	}
	for c := range communities {
		id, err := api.createCommunity(ctx, w.uploaders[c%uploaders], fmt.Sprintf("District %02d", c))
		if err != nil {
			return nil, fmt.Errorf("create a community: %w", err)
		}
		w.communities = append(w.communities, id)
	}
	for c, id := range w.communities {
		for u := c % 2; u < uploaders; u += 2 {
			if u == c%uploaders {
				continue // the creator is a member already
			}
			if err := api.addMember(ctx, w.uploaders[c%uploaders], id, w.uploaders[u].id); err != nil {
				return nil, fmt.Errorf("add a member: %w", err)
			}
		}
	}
	regular := max(users-uploaders, 0)
	err := inParallel(ctx, workers, regular, func(ctx context.Context, i int) error {
		n := uploaders + i
		id, err := api.signUp(ctx, seededPerson(n))
		if err != nil {
			return fmt.Errorf("sign up: %w", err)
		}
		c := i % communities
		return api.addMember(ctx, w.uploaders[c%uploaders], w.communities[c], id)
	})
	if err != nil {
		return nil, err
	}
	for c := range clients {
		w.loginUsers = append(w.loginUsers, seededPerson(uploaders+c%max(regular, 1)))
	}
	w.users = uploaders + regular
	return w, nil
}

// datasetFor describes dataset number i and whether the reader may see it.
// Half are public (a third of those in a community), three in ten belong
// to a community and are visible to its members, two in ten are private.
func (w *world) datasetFor(i int) (int, datasetSpec, bool) {
	u := i % uploaders
	rng := rand.New(rand.NewPCG(uint64(i), 1)) //nolint:gosec // G404: repeatable test data, not secrets
	word := func() string { return vocabulary[rng.IntN(len(vocabulary))] }
	d := datasetSpec{
		title:       fmt.Sprintf("%s %s %s %d", word(), word(), word(), i),
		description: fmt.Sprintf("Monthly %s and %s for the %s programme, collected by volunteers.", word(), word(), word()),
		tags:        []string{tagWords[i%len(tagWords)], tagWords[(i/len(tagWords))%len(tagWords)]},
		fileName:    fmt.Sprintf("data-%d.csv", i),
		content:     fmt.Appendf(nil, "id,value\n%d,%d\n", i, rng.IntN(1000)),
	}
	switch i % 1000 {
	case 500:
		d.title += " " + rareWord
	case 250, 777:
		d.description += " Spotted: a " + rareWord + "."
	}
	ownCommunity := w.communities[u%2+2*((i/uploaders)%(communities/2))]
	var visible bool
	switch kind := i % 10; {
	case kind < 5:
		d.visibility, visible = "public", true
		if i%3 == 0 {
			d.communityID = ownCommunity
		}
	case kind < 8:
		d.visibility, d.communityID, visible = "community", ownCommunity, u%2 == 0
	default:
		d.visibility, visible = "private", u == 0
	}
	return u, d, visible
}

// seedDatasets creates datasets until there are n.
func (w *world) seedDatasets(ctx context.Context, n, workers int) error {
	from := w.datasets
	err := inParallel(ctx, workers, n-from, func(ctx context.Context, k int) error {
		u, d, visible := w.datasetFor(from + k)
		id, err := w.api.createDataset(ctx, w.uploaders[u], d)
		if err != nil {
			return fmt.Errorf("create a dataset: %w", err)
		}
		if visible {
			w.mu.Lock()
			w.visible = append(w.visible, id)
			w.mu.Unlock()
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.datasets = n
	return nil
}

// topUpAuditEvents views datasets as the reader (each view is an audit
// event) until the store holds at least target events; it returns how
// many there are, or errUnsupported.
func (w *world) topUpAuditEvents(ctx context.Context, target, workers int) (int, error) {
	have, err := w.api.auditEvents(ctx, w.admin)
	if err != nil || have >= target {
		return have, err
	}
	err = inParallel(ctx, workers, target-have, func(ctx context.Context, i int) error {
		return w.api.getDataset(ctx, w.reader(), w.visible[i%len(w.visible)])
	})
	if err != nil {
		return 0, err
	}
	return w.api.auditEvents(ctx, w.admin)
}
