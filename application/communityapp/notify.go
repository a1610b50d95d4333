package communityapp

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// notifyAdmins tells a community's administrators of a new join request. Mail
// is best effort: a failure is reported, never returned.
func (s *Service) notifyAdmins(ctx context.Context, c *community.Community, r *community.JoinRequest) {
	requester := r.UserID
	if u, err := s.Users.Get(ctx, r.UserID); err == nil && u.Name != "" {
		requester = u.Name
	}
	// Names and the message are users' words: quoted, so that none of them
	// can pass for the trust's own text.
	var body strings.Builder
	fmt.Fprintf(&body, "%s asks to join %s.\n", kernel.QuoteLine(requester), kernel.QuoteLine(c.Name()))
	if r.Message != "" {
		fmt.Fprintf(&body, "\nTheir message:\n%s\n", kernel.QuoteBlock(r.Message))
	}
	fmt.Fprintf(&body, "\nApprove or reject request %s in the community's join requests.\n", r.ID)
	for _, adminID := range c.AdminIDs() {
		s.mail(ctx, "notify community admins of a join request", adminID,
			"New request to join "+kernel.QuoteLine(c.Name()), body.String())
	}
}

// notifyDecision tells the requester whether the request was approved, with
// the reason of a rejection when one was given.
func (s *Service) notifyDecision(ctx context.Context, c *community.Community, r *community.JoinRequest) {
	var subject, body string
	name := kernel.QuoteLine(c.Name())
	switch r.Status {
	case community.StatusApproved:
		subject = "Welcome to " + name
		body = "Your request to join " + name + " was approved. You are now a member.\n"
	case community.StatusRejected:
		subject = "Your request to join " + name
		body = "Your request to join " + name + " was declined.\n"
		if r.Reason != "" {
			body += "\nReason:\n" + kernel.QuoteBlock(r.Reason) + "\n"
		}
	default:
		return
	}
	s.mail(ctx, "notify the requester of a join decision", r.UserID, subject, body)
}

// mail sends one message to a user, reporting any failure.
func (s *Service) mail(ctx context.Context, op, userID, subject, body string) {
	u, err := s.Users.Get(ctx, userID)
	if err != nil {
		s.report(ctx, op, fmt.Errorf("look up user %s: %w", userID, err))
		return
	}
	if u.Email == "" {
		return
	}
	s.report(ctx, op, s.Mailer.Send(ctx, platformport.Message{To: u.Email, Subject: subject, Body: body}))
}
