package governanceapp

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Mail is best effort: a failure is reported, never returned. User text (a
// title, a purpose, a reason) reaches a message only through quote and
// subjectText, which drop control and bidirectional characters; the mailer
// encodes the body and refuses control characters in headers.

// maxSubjectTitle bounds a dataset title in a subject line.
const maxSubjectTitle = 80

// subjectText makes s safe for a subject line: one line, no control or
// bidirectional characters, at most maxSubjectTitle characters.
func subjectText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxSubjectTitle {
		s = string([]rune(s)[:maxSubjectTitle-1]) + "…"
	}
	return s
}

// quote indents a user's text as a quoted block, keeping its lines and
// dropping every control character but tabs and bidirectional characters.
func quote(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r', unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r), r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines {
		lines[i] = "> " + l
	}
	return strings.Join(lines, "\n")
}

// notifyDeciders tells the dataset's owner and its community's admins of a
// new request. Global admins may decide too, but are not mailed for every
// dataset of every community.
func (s *Service) notifyDeciders(ctx context.Context, ds governanceport.Dataset, r *governance.AccessRequest) {
	deciders := []string{ds.OwnerID}
	if c, err := s.Communities.Community(ctx, ds.CommunityID); err == nil {
		deciders = append(deciders, c.AdminIDs...)
	} else {
		s.report(ctx, "look up the deciders of an access request", err)
	}
	slices.Sort(deciders)
	deciders = slices.Compact(deciders)
	requester := "A user"
	if u, err := s.Users.User(ctx, r.RequesterID); err == nil && u.Name != "" {
		requester = subjectText(u.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s asks to use the restricted dataset %q until %s.\n\n", requester, subjectText(ds.Title), formatTime(r.RequestedUntil))
	fmt.Fprintf(&b, "Purpose:\n%s\n\n", quote(r.Purpose))
	if r.Organization != "" {
		fmt.Fprintf(&b, "Organization: %s\n\n", subjectText(r.Organization))
	}
	if r.TermsVersion > 0 {
		fmt.Fprintf(&b, "They accepted version %d of the community's terms.\n\n", r.TermsVersion)
	}
	fmt.Fprintf(&b, "Approve or reject request %s among the dataset's access requests.\n", r.ID)
	for _, id := range deciders {
		if id == r.RequesterID {
			continue
		}
		s.mail(ctx, "notify the deciders of an access request", id, "Access request for "+subjectText(ds.Title), b.String())
	}
}

// notifyDecision tells the requester how their request was decided.
func (s *Service) notifyDecision(ctx context.Context, ds governanceport.Dataset, r *governance.AccessRequest, g *governance.Grant) {
	title := subjectText(ds.Title)
	var subject string
	var b strings.Builder
	switch r.Status {
	case governance.RequestApproved:
		subject = "Access granted to " + title
		fmt.Fprintf(&b, "Your request to use %q was approved. You may download it until %s.\n", title, formatTime(g.ExpiresAt))
		if r.Note != "" {
			fmt.Fprintf(&b, "\nNote from the decider:\n%s\n", quote(r.Note))
		}
		fmt.Fprintf(&b, "\nGrant %s.\n", g.ID)
	case governance.RequestRejected:
		subject = "Your access request for " + title
		fmt.Fprintf(&b, "Your request to use %q was declined.\n\nReason:\n%s\n", title, quote(r.Reason))
	default:
		return
	}
	s.mail(ctx, "notify the requester of an access decision", r.RequesterID, subject, b.String())
}

// notifyRevocation tells a grantee that a decider revoked their grant.
func (s *Service) notifyRevocation(ctx context.Context, g *governance.Grant) {
	title := subjectText(g.DatasetTitle)
	body := fmt.Sprintf("Your grant to use %q was revoked; you may no longer download it.\n\nReason:\n%s\n\nGrant %s.\n",
		title, quote(g.RevokeReason), g.ID)
	s.mail(ctx, "notify the grantee of a revocation", g.GranteeID, "Access revoked: "+title, body)
}

// reminderMessage is the mail to a grantee ReminderLead before the end.
func reminderMessage(g *governance.Grant) (subject, body string) {
	title := subjectText(g.DatasetTitle)
	body = fmt.Sprintf("Your grant to use %q ends on %s. After that it can no longer be downloaded; "+
		"to go on using it, request access again.\n\nGrant %s.\n", title, formatTime(g.ExpiresAt), g.ID)
	return "Your access to " + title + " ends on " + g.ExpiresAt.UTC().Format("2006-01-02"), body
}

// mail sends one message to a user, reporting any failure.
func (s *Service) mail(ctx context.Context, op, userID, subject, body string) {
	s.report(ctx, op, s.send(ctx, userID, subject, body))
}

// send sends one message to a user; a user without an address is no error.
func (s *Service) send(ctx context.Context, userID, subject, body string) error {
	u, err := s.Users.User(ctx, userID)
	if err != nil {
		return fmt.Errorf("look up user %s: %w", userID, err)
	}
	if u.Email == "" {
		return nil
	}
	return s.Mailer.Send(ctx, platformport.Message{To: u.Email, Subject: subject, Body: body})
}
