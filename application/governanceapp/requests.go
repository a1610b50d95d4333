package governanceapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
)

// RequestAccess files the caller's request to use a restricted dataset. Only
// restricted datasets take requests (governance.ErrNotRestricted), not from
// someone who may download already (governance.ErrAlreadyAllowed), one
// pending per requester and dataset (governance.ErrRequestPending). When the
// community has terms, the request must name the current version, and the
// acceptance is kept as a consent record first: consent.accept, then
// access_request.create. The deciders are told by mail.
func (s *Service) RequestAccess(ctx context.Context, p kernel.Principal, datasetID string, in governance.RequestInput) (*governance.AccessRequest, error) {
	r, err := s.requestAccess(ctx, p, datasetID, in)
	e := event(audit.ActionAccessRequestCreate, audit.TargetDataset, datasetID, map[string]string{"dataset_id": datasetID})
	if r != nil {
		e = requestEvent(audit.ActionAccessRequestCreate, r)
	}
	return r, s.record(ctx, p, e, err)
}

func (s *Service) requestAccess(ctx context.Context, p kernel.Principal, datasetID string, in governance.RequestInput) (*governance.AccessRequest, error) {
	ds, err := s.Datasets.Dataset(ctx, p, datasetID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	in.RequestedUntil = kernel.Truncate(in.RequestedUntil)
	r, err := governance.NewAccessRequest(kernel.NewID(now), ds.ID, p.UserID, in, now)
	if err != nil {
		return nil, err
	}
	switch {
	case !ds.Restricted:
		return nil, governance.ErrNotRestricted
	case ds.CanDownload:
		return nil, governance.ErrAlreadyAllowed
	}
	terms, err := orNil(s.Terms.Current(ctx, ds.CommunityID))
	if err != nil {
		return nil, err
	}
	if err := governance.CheckAcceptedVersion(terms, in.TermsVersion); err != nil {
		return nil, err
	}
	// Refuse a second request before recording a consent for it; Create
	// refuses it again when two arrive at once.
	if _, n, err := s.Requests.List(ctx, governanceport.RequestFilter{DatasetID: ds.ID, RequesterID: p.UserID, Status: governance.RequestPending}, 0, 0); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, governance.ErrRequestPending
	}
	if terms != nil {
		c := governance.NewConsent(kernel.NewID(now), p.UserID, terms, r.ID, kernel.RequestMetaFrom(ctx).IP, now)
		// The event targets the terms accepted; the consent record is named in details.
		err := s.record(ctx, p, event(audit.ActionConsentAccept, audit.TargetTerms, c.TermsID, map[string]string{
			"community_id": c.CommunityID, "consent_id": c.ID, "version": itoa(c.Version), "request_id": r.ID,
		}), s.Consents.Create(ctx, c))
		if err != nil {
			return nil, err
		}
	}
	if err := s.Requests.Create(ctx, r); err != nil {
		return nil, err
	}
	s.notifyDeciders(ctx, ds, r)
	return r, nil
}

// requestEvent targets a request and names its dataset and requester.
func requestEvent(action string, r *governance.AccessRequest) audit.Event {
	d := map[string]string{"dataset_id": r.DatasetID, "user_id": r.RequesterID}
	if r.TermsVersion > 0 {
		d["terms_version"] = itoa(r.TermsVersion)
	}
	if r.GrantID != "" {
		d["grant_id"] = r.GrantID
	}
	return event(action, audit.TargetRequest, r.ID, d)
}

// decisionEvent targets the request decided on (r, when known, adds its details).
func decisionEvent(action, datasetID, requestID string, r *governance.AccessRequest) audit.Event {
	if r != nil {
		return requestEvent(action, r)
	}
	return event(action, audit.TargetRequest, requestID, map[string]string{"dataset_id": datasetID})
}

// DatasetRequests lists a dataset's requests, the newest first (deciders).
func (s *Service) DatasetRequests(ctx context.Context, p kernel.Principal, datasetID string, status governance.RequestStatus, pg governanceport.Page) ([]*governance.AccessRequest, int64, error) {
	ds, err := s.decidable(ctx, p, datasetID)
	if err != nil {
		return nil, 0, err
	}
	return s.Requests.List(ctx, governanceport.RequestFilter{DatasetID: ds.ID, Status: status}, skipOf(pg), pg.Limit)
}

// MyRequests lists the caller's own requests, the newest first.
func (s *Service) MyRequests(ctx context.Context, p kernel.Principal, status governance.RequestStatus, pg governanceport.Page) ([]*governance.AccessRequest, int64, error) {
	return s.Requests.List(ctx, governanceport.RequestFilter{RequesterID: p.UserID, Status: status}, skipOf(pg), pg.Limit)
}

// request loads a request of dataset datasetID.
func (s *Service) request(ctx context.Context, datasetID, requestID string) (*governance.AccessRequest, error) {
	r, err := s.Requests.Get(ctx, requestID)
	if err != nil {
		return nil, err
	}
	if r.DatasetID != datasetID {
		return nil, governance.ErrRequestNotFound
	}
	return r, nil
}

// Approve approves a pending request and makes its grant, ending at
// in.ExpiresAt (at most the requested end; by default the requested end).
// The decision is one compare-and-set on the request, made before the grant:
// of concurrent approvals one wins and the others get
// governance.ErrRequestNotPending, and the grant store's one-grant-per-request
// rule backs that up. Should the grant fail to be stored after the decision,
// the request says approved but nobody gains access: the failure is on the
// safe side. It records access_request.approve; the requester is told by mail.
func (s *Service) Approve(ctx context.Context, p kernel.Principal, datasetID, requestID string, in governanceport.ApproveInput) (*governance.AccessRequest, error) {
	r, err := s.approve(ctx, p, datasetID, requestID, in)
	return r, s.record(ctx, p, decisionEvent(audit.ActionAccessRequestApprove, datasetID, requestID, r), err)
}

func (s *Service) approve(ctx context.Context, p kernel.Principal, datasetID, requestID string, in governanceport.ApproveInput) (*governance.AccessRequest, error) {
	ds, err := s.decidable(ctx, p, datasetID)
	if err != nil {
		return nil, err
	}
	r, err := s.request(ctx, ds.ID, requestID)
	if err != nil {
		return nil, err
	}
	if r.Status != governance.RequestPending {
		return nil, governance.ErrRequestNotPending
	}
	now := s.now()
	end := r.RequestedUntil
	if in.ExpiresAt != nil {
		end = kernel.Truncate(*in.ExpiresAt)
	}
	if err := governance.CheckGrantEnd(end, r.RequestedUntil, now); err != nil {
		return nil, err
	}
	if _, err := governance.ParseNote(in.Note); err != nil {
		return nil, err
	}
	subject := governance.Subject{DatasetTitle: ds.Title, CommunityID: ds.CommunityID}
	if c, err := s.Communities.Community(ctx, ds.CommunityID); err == nil {
		subject.CommunityName = c.Name
	} else if !isNotFound(err) {
		return nil, err
	}
	grantID := kernel.NewID(now)
	approved, err := s.Requests.Update(ctx, r.ID, func(r *governance.AccessRequest) error {
		return r.Approve(p.UserID, grantID, in.Note, now)
	})
	if err != nil {
		return nil, err
	}
	g, err := governance.NewGrant(approved, subject, end, now)
	if err != nil {
		return nil, err
	}
	if err := s.storeGrant(ctx, g); err != nil {
		if errors.Is(err, governance.ErrGrantExists) {
			return nil, governance.ErrRequestNotPending
		}
		return nil, err
	}
	s.notifyDecision(ctx, ds, approved, g)
	return approved, nil
}

// storeGrant stores the grant of a decision that is made already, trying a
// few times more when the store does not answer, and even when the caller
// has gone: the decision must not stay without its grant for want of a retry.
func (s *Service) storeGrant(ctx context.Context, g *governance.Grant) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var err error
	for attempt := range 4 {
		if err = s.Grants.Create(ctx, g); err == nil || !unavailable(err) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(attempt+1) * 250 * time.Millisecond):
		}
	}
	return err
}

// Reject declines a pending request; the reason, required, is told to the
// requester by mail. It records access_request.reject.
func (s *Service) Reject(ctx context.Context, p kernel.Principal, datasetID, requestID, reason string) (*governance.AccessRequest, error) {
	r, err := s.reject(ctx, p, datasetID, requestID, reason)
	return r, s.record(ctx, p, decisionEvent(audit.ActionAccessRequestReject, datasetID, requestID, r), err)
}

func (s *Service) reject(ctx context.Context, p kernel.Principal, datasetID, requestID, reason string) (*governance.AccessRequest, error) {
	ds, err := s.decidable(ctx, p, datasetID)
	if err != nil {
		return nil, err
	}
	r, err := s.request(ctx, ds.ID, requestID)
	if err != nil {
		return nil, err
	}
	if r.Status != governance.RequestPending {
		return nil, governance.ErrRequestNotPending
	}
	if _, err := governance.ParseReason(reason); err != nil {
		return nil, err
	}
	now := s.now()
	rejected, err := s.Requests.Update(ctx, r.ID, func(r *governance.AccessRequest) error { return r.Reject(p.UserID, reason, now) })
	if err != nil {
		return nil, err
	}
	s.notifyDecision(ctx, ds, rejected, nil)
	return rejected, nil
}

// Withdraw cancels the caller's own pending request: access_request.withdraw.
func (s *Service) Withdraw(ctx context.Context, p kernel.Principal, datasetID, requestID string) error {
	r, err := s.withdraw(ctx, p, datasetID, requestID)
	return s.record(ctx, p, decisionEvent(audit.ActionAccessRequestWithdraw, datasetID, requestID, r), err)
}

func (s *Service) withdraw(ctx context.Context, p kernel.Principal, datasetID, requestID string) (*governance.AccessRequest, error) {
	r, err := s.request(ctx, datasetID, requestID)
	if err != nil {
		return nil, err
	}
	if !p.IsSelf(r.RequesterID) {
		return nil, governance.ErrNotRequester
	}
	now := s.now()
	return s.Requests.Update(ctx, r.ID, func(r *governance.AccessRequest) error { return r.Withdraw(now) })
}
