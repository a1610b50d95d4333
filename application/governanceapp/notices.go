package governanceapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// expiryLookback is how far back SendNotices looks for grants that ended
// without their grant.expire event: a grant that ended while no instance ran
// for longer than this gets none.
const expiryLookback = 30 * 24 * time.Hour

// NoticeReport says what one run of SendNotices did.
type NoticeReport struct {
	Reminded int // reminder mails sent
	Expired  int // grant.expire events recorded
}

// SendNotices does the notices that are due: the reminder mail to every
// grantee whose grant ends within governance.ReminderLead, and the
// grant.expire event of every grant found past its end. Each is claimed in
// the store before it is done, so that of several instances running at once
// exactly one does it; work that fails gives its claim back and is tried again
// at the next run.
func (s *Service) SendNotices(ctx context.Context) (NoticeReport, error) {
	var rep NoticeReport
	now := s.now()
	// Active grants (ending after now) that end within ReminderLead.
	soon, err := s.Grants.Ending(ctx, now.Add(kernel.TimePrecision), now.Add(governance.ReminderLead+kernel.TimePrecision), -1)
	if err != nil {
		return rep, err
	}
	soon = keep(soon, func(g *governance.Grant) bool { return g.WantsReminder() })
	err = s.claimEach(ctx, governance.NoticeExpiryReminder, soon, now, func(g *governance.Grant) error {
		subject, body := reminderMessage(g)
		if err := s.send(ctx, g.GranteeID, subject, body); err != nil {
			return err
		}
		rep.Reminded++
		return nil
	})
	if err != nil {
		return rep, err
	}
	// Grants that have ended (expires_at ≤ now) and were not revoked.
	ended, err := s.Grants.Ending(ctx, now.Add(-expiryLookback), now.Add(kernel.TimePrecision), -1)
	if err != nil {
		return rep, err
	}
	err = s.claimEach(ctx, governance.NoticeExpiryRecorded, ended, now, func(g *governance.Grant) error {
		e := event(audit.ActionGrantExpire, audit.TargetGrant, g.ID, map[string]string{
			"dataset_id": g.DatasetID, "user_id": g.GranteeID, "expires_at": formatTime(g.ExpiresAt),
		})
		e.At, e.Outcome = now, audit.Success
		if s.Audit != nil {
			if _, err := s.Audit.Append(ctx, e); err != nil {
				return err
			}
		}
		rep.Expired++
		return nil
	})
	return rep, err
}

// claimEach claims notice n of every grant not claimed yet and does it; a
// failed one is released and reported. A store error stops the run.
func (s *Service) claimEach(ctx context.Context, n governance.Notice, gs []*governance.Grant, now time.Time, do func(*governance.Grant) error) error {
	if len(gs) == 0 {
		return nil
	}
	ids := make([]string, len(gs))
	for i, g := range gs {
		ids[i] = g.ID
	}
	claimed, err := s.Notices.Claimed(ctx, n, ids)
	if err != nil {
		return err
	}
	for _, g := range gs {
		if claimed[g.ID] {
			continue
		}
		won, err := s.Notices.Claim(ctx, g.ID, n, now)
		if err != nil {
			return err
		}
		if !won {
			continue // another instance has it
		}
		if err := do(g); err != nil {
			s.report(ctx, "grant notice "+string(n), err)
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			s.report(rctx, "release the claim of grant notice "+string(n), s.Notices.Release(rctx, g.ID, n))
			cancel()
		}
	}
	return nil
}

func keep[T any](xs []T, f func(T) bool) []T {
	out := xs[:0:0]
	for _, x := range xs {
		if f(x) {
			out = append(out, x)
		}
	}
	return out
}

// noticeRunTimeout bounds one run, so that a stuck store cannot hold the job.
const noticeRunTimeout = time.Minute

// StartNotices runs SendNotices now and then every interval, in the
// background, until Stop.
func (s *Service) StartNotices(every time.Duration) *kernel.Job {
	return kernel.StartJob(every, noticeRunTimeout, func(ctx context.Context) {
		if _, err := s.SendNotices(ctx); err != nil && !errors.Is(err, context.Canceled) {
			s.report(ctx, "send grant notices", err)
		}
	})
}
