package storefile

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/civicdatatrust/civictrust/domain/access"
	"github.com/civicdatatrust/civictrust/domain/audit"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/governance"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// The records as they are written: one JSON object per record, with the
// field names of the API where it has them. A field added later must be
// optional, so that files written before it still import.

type roleRecord struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	SelfAssignable bool      `json:"self_assignable"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

type moduleRecord struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	RoleIDs   []string  `json:"role_ids"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

type userRecord struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	Email               string     `json:"email"`
	Active              bool       `json:"status"`
	RoleIDs             []string   `json:"role_ids"`
	PasswordHash        string     `json:"password_hash"`
	EmailVerified       bool       `json:"email_verified"`
	LastLogin           *time.Time `json:"last_login"`
	FailedLoginAttempts int        `json:"failed_login_attempts"`
	LockedUntil         *time.Time `json:"locked_until"`
	CreatedAt           time.Time  `json:"created_at"`
	UpdatedAt           time.Time  `json:"updated_at"`
	Version             int64      `json:"version"`
}

type sessionRecord struct {
	ID                string     `json:"id"`
	UserID            string     `json:"user_id"`
	RefreshHash       string     `json:"refresh_hash"`
	PreviousHashes    []string   `json:"previous_hashes"`
	RotationNonce     string     `json:"rotation_nonce,omitempty"`
	RotatedAt         time.Time  `json:"rotated_at"`
	CreatedAt         time.Time  `json:"created_at"`
	LastUsedAt        time.Time  `json:"last_used_at"`
	ExpiresAt         time.Time  `json:"expires_at"`
	AbsoluteExpiresAt time.Time  `json:"absolute_expires_at"`
	RevokedAt         *time.Time `json:"revoked_at"`
	IP                string     `json:"ip"`
	UserAgent         string     `json:"user_agent"`
	Version           int64      `json:"version"`
}

type tokenRecord struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Purpose   string     `json:"purpose"`
	Hash      string     `json:"hash"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
}

type communityRecord struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Description     string    `json:"description"`
	CreatedBy       string    `json:"created_by"`
	LogoKey         string    `json:"logo_key"`
	LogoContentType string    `json:"logo_content_type"`
	LogoETag        string    `json:"logo_etag"`
	AdminIDs        []string  `json:"admin_ids"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
	Version         int64     `json:"version"`
}

type membershipRecord struct {
	CommunityID string    `json:"community_id"`
	UserID      string    `json:"user_id"`
	Role        string    `json:"role"`
	AddedAt     time.Time `json:"added_at"`
}

type joinRequestRecord struct {
	ID          string     `json:"id"`
	CommunityID string     `json:"community_id"`
	UserID      string     `json:"user_id"`
	Message     string     `json:"message"`
	Status      string     `json:"status"`
	Reason      string     `json:"reason"`
	DecidedBy   string     `json:"decided_by"`
	CreatedAt   time.Time  `json:"created_at"`
	DecidedAt   *time.Time `json:"decided_at"`
	Version     int64      `json:"version"`
}

type fileRecord struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	BlobKey     string `json:"blob_key"`
}

type versionRecord struct {
	Number    int        `json:"number"`
	File      fileRecord `json:"file"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

type datasetRecord struct {
	ID          string          `json:"id"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	CommunityID string          `json:"community_id"`
	OwnerID     string          `json:"owner_id"`
	Visibility  string          `json:"visibility"`
	Tags        []string        `json:"tags"`
	License     string          `json:"license"`
	Version     int             `json:"version"`
	Versions    []versionRecord `json:"versions"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	Revision    int64           `json:"revision"`
}

type eventRecord struct {
	Seq        int64             `json:"seq"`
	ID         string            `json:"id"`
	At         time.Time         `json:"at"`
	ActorID    string            `json:"actor_id"`
	Action     string            `json:"action"`
	TargetType string            `json:"target_type"`
	TargetID   string            `json:"target_id"`
	IP         string            `json:"ip"`
	UserAgent  string            `json:"user_agent"`
	RequestID  string            `json:"request_id"`
	Outcome    string            `json:"outcome"`
	Details    map[string]string `json:"details,omitempty"`
	PrevHash   string            `json:"prev_hash,omitempty"`
	Hash       string            `json:"hash"`
}

type termsRecord struct {
	ID          string    `json:"id"`
	CommunityID string    `json:"community_id"`
	Version     int       `json:"version"`
	Title       string    `json:"title"`
	Body        string    `json:"body"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
}

type consentRecord struct {
	ID          string    `json:"id"`
	UserID      string    `json:"user_id"`
	CommunityID string    `json:"community_id"`
	TermsID     string    `json:"terms_id"`
	Version     int       `json:"version"`
	RequestID   string    `json:"request_id"`
	AcceptedAt  time.Time `json:"accepted_at"`
	IP          string    `json:"ip"`
}

type accessRequestRecord struct {
	ID             string     `json:"id"`
	DatasetID      string     `json:"dataset_id"`
	RequesterID    string     `json:"requester_id"`
	Purpose        string     `json:"purpose"`
	Organization   string     `json:"organization"`
	RequestedUntil time.Time  `json:"requested_until"`
	TermsVersion   int        `json:"accepted_terms_version"`
	Status         string     `json:"status"`
	DecidedBy      string     `json:"decided_by"`
	DecidedAt      *time.Time `json:"decided_at"`
	Reason         string     `json:"reason"`
	Note           string     `json:"note"`
	GrantID        string     `json:"grant_id"`
	CreatedAt      time.Time  `json:"created_at"`
	Version        int64      `json:"version"`
}

type grantRecord struct {
	ID            string     `json:"id"`
	DatasetID     string     `json:"dataset_id"`
	DatasetTitle  string     `json:"dataset_title"`
	CommunityID   string     `json:"community_id"`
	CommunityName string     `json:"community_name"`
	GranteeID     string     `json:"grantee_id"`
	RequestID     string     `json:"request_id"`
	Purpose       string     `json:"purpose"`
	Organization  string     `json:"organization"`
	TermsVersion  int        `json:"terms_version"`
	GrantedBy     string     `json:"granted_by"`
	GrantedAt     time.Time  `json:"granted_at"`
	ExpiresAt     time.Time  `json:"expires_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
	RevokedBy     string     `json:"revoked_by"`
	RevokeReason  string     `json:"revoke_reason"`
	Version       int64      `json:"version"`
}

type noticeClaimRecord struct {
	GrantID   string    `json:"grant_id"`
	Notice    string    `json:"notice"`
	ClaimedAt time.Time `json:"claimed_at"`
}

// encode turns a domain value of kind into its record's JSON.
func encode(kind storeport.Kind, v any) (json.RawMessage, error) {
	var rec any
	switch x := v.(type) {
	case *access.Role:
		rec = roleRecord{x.ID, x.Name, x.SelfAssignable, x.CreatedAt, x.UpdatedAt}
	case *access.Module:
		rec = moduleRecord{x.ID, x.Name, x.RoleIDs, x.CreatedAt, x.UpdatedAt}
	case *identity.User:
		s := x.Snapshot()
		rec = userRecord{s.ID, s.Name, s.Email, s.Active, s.RoleIDs, s.PasswordHash, s.Auth.EmailVerified, s.Auth.LastLogin,
			s.Auth.FailedLoginAttempts, s.Auth.LockedUntil, s.CreatedAt, s.UpdatedAt, s.Revision}
	case *identity.Session:
		rec = sessionRecord{x.ID, x.UserID, x.RefreshHash, x.PreviousHashes, x.RotationNonce, x.RotatedAt, x.CreatedAt, x.LastUsedAt,
			x.ExpiresAt, x.AbsoluteExpiresAt, x.RevokedAt, x.IP, x.UserAgent, x.Revision}
	case *identity.OneTimeToken:
		rec = tokenRecord{x.ID, x.UserID, string(x.Purpose), x.Hash, x.CreatedAt, x.ExpiresAt, x.UsedAt}
	case *community.Community:
		s := x.Snapshot()
		rec = communityRecord{s.ID, s.Name, s.Description, s.CreatedBy, s.LogoKey, s.LogoContentType, s.LogoETag,
			s.AdminIDs, s.CreatedAt, s.UpdatedAt, s.Revision}
	case *community.Membership:
		rec = membershipRecord{x.CommunityID, x.UserID, string(x.Role), x.AddedAt}
	case *community.JoinRequest:
		rec = joinRequestRecord{x.ID, x.CommunityID, x.UserID, x.Message, string(x.Status), x.Reason, x.DecidedBy,
			x.CreatedAt, x.DecidedAt, x.Revision}
	case *dataset.Dataset:
		s := x.Snapshot()
		d := datasetRecord{ID: s.ID, Title: s.Title, Description: s.Description, CommunityID: s.CommunityID,
			OwnerID: s.OwnerID, Visibility: string(s.Visibility), Tags: s.Tags, License: s.License, Version: s.Version,
			CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Revision: s.Revision}
		for _, ver := range s.Versions {
			f := ver.File
			d.Versions = append(d.Versions, versionRecord{ver.Number,
				fileRecord{f.Filename, f.ContentType, f.Size, f.SHA256, f.BlobKey}, ver.CreatedBy, ver.CreatedAt})
		}
		rec = d
	case *governance.Terms:
		rec = termsRecord{x.ID, x.CommunityID, x.Version, x.Title, x.Body, x.PublishedAt, x.PublishedBy}
	case *governance.Consent:
		rec = consentRecord{x.ID, x.UserID, x.CommunityID, x.TermsID, x.Version, x.RequestID, x.AcceptedAt, x.IP}
	case *governance.AccessRequest:
		rec = accessRequestRecord{x.ID, x.DatasetID, x.RequesterID, x.Purpose, x.Organization, x.RequestedUntil,
			x.TermsVersion, string(x.Status), x.DecidedBy, x.DecidedAt, x.Reason, x.Note, x.GrantID, x.CreatedAt, x.Revision}
	case *governance.Grant:
		rec = grantRecord{x.ID, x.DatasetID, x.DatasetTitle, x.CommunityID, x.CommunityName, x.GranteeID, x.RequestID,
			x.Purpose, x.Organization, x.TermsVersion, x.GrantedBy, x.GrantedAt, x.ExpiresAt, x.RevokedAt, x.RevokedBy,
			x.RevokeReason, x.Revision}
	case *governance.NoticeClaim:
		rec = noticeClaimRecord{x.GrantID, string(x.Notice), x.ClaimedAt}
	case *audit.Event:
		rec = eventRecord{x.Seq, x.ID, x.At, x.ActorID, x.Action, x.TargetType, x.TargetID, x.IP, x.UserAgent,
			x.RequestID, x.Outcome, x.Details, x.PrevHash, x.Hash}
	default:
		return nil, fmt.Errorf("storefile: no record for a %T (%s)", v, kind)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("storefile: encode a %s: %w", kind, err)
	}
	return b, nil
}

// decode turns a record's JSON back into the domain value of kind.
func decode(kind storeport.Kind, raw json.RawMessage) (any, error) {
	var v any
	var err error
	switch kind {
	case storeport.KindRole:
		var r roleRecord
		err = json.Unmarshal(raw, &r)
		v = &access.Role{ID: r.ID, Name: r.Name, SelfAssignable: r.SelfAssignable, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	case storeport.KindModule:
		var r moduleRecord
		err = json.Unmarshal(raw, &r)
		v = &access.Module{ID: r.ID, Name: r.Name, RoleIDs: r.RoleIDs, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	case storeport.KindUser:
		var r userRecord
		err = json.Unmarshal(raw, &r)
		v = identity.RestoreUser(identity.UserSnapshot{ID: r.ID, Name: r.Name, Email: r.Email, Active: r.Active, RoleIDs: r.RoleIDs,
			PasswordHash: r.PasswordHash, Auth: identity.AuthState{EmailVerified: r.EmailVerified, LastLogin: utcPtr(r.LastLogin),
				FailedLoginAttempts: r.FailedLoginAttempts, LockedUntil: utcPtr(r.LockedUntil)},
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Revision: r.Version})
	case storeport.KindSession:
		var r sessionRecord
		err = json.Unmarshal(raw, &r)
		v = &identity.Session{ID: r.ID, UserID: r.UserID, RefreshHash: r.RefreshHash, PreviousHashes: r.PreviousHashes,
			RotationNonce: r.RotationNonce,
			RotatedAt:     r.RotatedAt.UTC(), CreatedAt: r.CreatedAt.UTC(), LastUsedAt: r.LastUsedAt.UTC(),
			ExpiresAt: r.ExpiresAt.UTC(), AbsoluteExpiresAt: r.AbsoluteExpiresAt.UTC(), RevokedAt: utcPtr(r.RevokedAt),
			IP: r.IP, UserAgent: r.UserAgent, Revision: r.Version}
	case storeport.KindToken:
		var r tokenRecord
		err = json.Unmarshal(raw, &r)
		v = &identity.OneTimeToken{ID: r.ID, UserID: r.UserID, Purpose: identity.TokenPurpose(r.Purpose), Hash: r.Hash,
			CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedAt: utcPtr(r.UsedAt)}
	case storeport.KindCommunity:
		var r communityRecord
		err = json.Unmarshal(raw, &r)
		v = community.Restore(community.Snapshot{ID: r.ID, Name: r.Name, Description: r.Description, CreatedBy: r.CreatedBy,
			LogoKey: r.LogoKey, LogoContentType: r.LogoContentType, LogoETag: r.LogoETag, AdminIDs: r.AdminIDs,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Revision: r.Version})
	case storeport.KindMembership:
		var r membershipRecord
		err = json.Unmarshal(raw, &r)
		v = &community.Membership{CommunityID: r.CommunityID, UserID: r.UserID, Role: community.Role(r.Role), AddedAt: r.AddedAt.UTC()}
	case storeport.KindJoinRequest:
		var r joinRequestRecord
		err = json.Unmarshal(raw, &r)
		v = &community.JoinRequest{ID: r.ID, CommunityID: r.CommunityID, UserID: r.UserID, Message: r.Message,
			Status: community.RequestStatus(r.Status), Reason: r.Reason, DecidedBy: r.DecidedBy, CreatedAt: r.CreatedAt.UTC(),
			DecidedAt: utcPtr(r.DecidedAt), Revision: r.Version}
	case storeport.KindDataset:
		var r datasetRecord
		err = json.Unmarshal(raw, &r)
		d := dataset.Snapshot{ID: r.ID, Title: r.Title, Description: r.Description, CommunityID: r.CommunityID,
			OwnerID: r.OwnerID, Visibility: dataset.Visibility(r.Visibility), Tags: r.Tags, License: r.License,
			Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Revision: r.Revision}
		for _, ver := range r.Versions {
			f := dataset.File{Filename: ver.File.Filename, ContentType: ver.File.ContentType, Size: ver.File.Size,
				SHA256: ver.File.SHA256, BlobKey: ver.File.BlobKey}
			d.Versions = append(d.Versions, dataset.Version{DatasetID: r.ID, Number: ver.Number, File: f,
				CreatedBy: ver.CreatedBy, CreatedAt: ver.CreatedAt.UTC()})
		}
		v = dataset.Restore(d)
	case storeport.KindTerms:
		var r termsRecord
		err = json.Unmarshal(raw, &r)
		v = &governance.Terms{ID: r.ID, CommunityID: r.CommunityID, Version: r.Version, Title: r.Title, Body: r.Body,
			PublishedAt: r.PublishedAt.UTC(), PublishedBy: r.PublishedBy}
	case storeport.KindConsent:
		var r consentRecord
		err = json.Unmarshal(raw, &r)
		v = &governance.Consent{ID: r.ID, UserID: r.UserID, CommunityID: r.CommunityID, TermsID: r.TermsID,
			Version: r.Version, RequestID: r.RequestID, AcceptedAt: r.AcceptedAt.UTC(), IP: r.IP}
	case storeport.KindAccessRequest:
		var r accessRequestRecord
		err = json.Unmarshal(raw, &r)
		v = &governance.AccessRequest{ID: r.ID, DatasetID: r.DatasetID, RequesterID: r.RequesterID, Purpose: r.Purpose,
			Organization: r.Organization, RequestedUntil: r.RequestedUntil.UTC(), TermsVersion: r.TermsVersion,
			Status: governance.RequestStatus(r.Status), DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt),
			Reason: r.Reason, Note: r.Note, GrantID: r.GrantID, CreatedAt: r.CreatedAt.UTC(), Revision: r.Version}
	case storeport.KindGrant:
		var r grantRecord
		err = json.Unmarshal(raw, &r)
		v = &governance.Grant{ID: r.ID, DatasetID: r.DatasetID, DatasetTitle: r.DatasetTitle, CommunityID: r.CommunityID,
			CommunityName: r.CommunityName, GranteeID: r.GranteeID, RequestID: r.RequestID, Purpose: r.Purpose,
			Organization: r.Organization, TermsVersion: r.TermsVersion, GrantedBy: r.GrantedBy, GrantedAt: r.GrantedAt.UTC(),
			ExpiresAt: r.ExpiresAt.UTC(), RevokedAt: utcPtr(r.RevokedAt), RevokedBy: r.RevokedBy, RevokeReason: r.RevokeReason,
			Revision: r.Version}
	case storeport.KindNoticeClaim:
		var r noticeClaimRecord
		err = json.Unmarshal(raw, &r)
		v = &governance.NoticeClaim{GrantID: r.GrantID, Notice: governance.Notice(r.Notice), ClaimedAt: r.ClaimedAt.UTC()}
	case storeport.KindAuditEvent, storeport.KindAuditHead:
		var r eventRecord
		err = json.Unmarshal(raw, &r)
		v = &audit.Event{Seq: r.Seq, ID: r.ID, At: r.At.UTC(), ActorID: r.ActorID, Action: r.Action,
			TargetType: r.TargetType, TargetID: r.TargetID, IP: r.IP, UserAgent: r.UserAgent, RequestID: r.RequestID,
			Outcome: r.Outcome, Details: r.Details, PrevHash: r.PrevHash, Hash: r.Hash}
	default:
		return nil, fmt.Errorf("storefile: unknown kind of record %q", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("storefile: a %s record: %w", kind, err)
	}
	return v, nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
