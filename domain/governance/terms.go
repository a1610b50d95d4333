package governance

import "time"

// Terms are one version of a community's data-use agreement. Published terms
// never change: a change is a new version, numbered 1, 2, … per community, and
// the highest version is the current one.
type Terms struct {
	ID          string
	CommunityID string
	Version     int
	Title       string
	Body        string // Markdown
	PublishedAt time.Time
	PublishedBy string
}

// NewTerms checks and returns version of a community's terms.
func NewTerms(id, communityID string, version int, title, body, by string, at time.Time) (*Terms, error) {
	t, err := ParseTitle(title)
	if err != nil {
		return nil, err
	}
	b, err := ParseBody(body)
	if err != nil {
		return nil, err
	}
	return &Terms{ID: id, CommunityID: communityID, Version: version, Title: t, Body: b, PublishedAt: at, PublishedBy: by}, nil
}

// NextVersion is the version that follows current (nil: none published yet).
func NextVersion(current *Terms) int {
	if current == nil {
		return 1
	}
	return current.Version + 1
}

// Clone returns a copy.
func (t *Terms) Clone() *Terms {
	c := *t
	return &c
}

// Consent records that a user accepted a version of a community's terms: who,
// which version, when and from where. RequestID names the access request the
// terms were accepted for.
type Consent struct {
	ID          string
	UserID      string
	CommunityID string
	TermsID     string
	Version     int
	RequestID   string
	AcceptedAt  time.Time
	IP          string
}

// NewConsent records the acceptance of t.
func NewConsent(id, userID string, t *Terms, requestID, ip string, at time.Time) *Consent {
	return &Consent{ID: id, UserID: userID, CommunityID: t.CommunityID, TermsID: t.ID, Version: t.Version,
		RequestID: requestID, AcceptedAt: at, IP: ip}
}

// Clone returns a copy.
func (c *Consent) Clone() *Consent {
	d := *c
	return &d
}

// CheckAcceptedVersion checks the terms version a request names against the
// community's current terms (nil: none published). With terms, the version is
// required (accepted == 0 is ErrTermsVersionRequired) and must be the current
// one (ErrTermsOutdated); without terms, naming any version is ErrTermsOutdated.
func CheckAcceptedVersion(current *Terms, accepted int) error {
	switch {
	case current == nil && accepted == 0:
		return nil
	case current == nil:
		return ErrTermsOutdated
	case accepted == 0:
		return ErrTermsVersionRequired
	case accepted != current.Version:
		return ErrTermsOutdated
	}
	return nil
}
