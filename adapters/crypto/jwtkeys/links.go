package jwtkeys

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

var _ datasetport.LinkSigner = (*LinkSigner)(nil)

// LinkAudienceSuffix turns the access tokens' audience into the download
// links': a link is no bearer token, and a bearer token no link.
const LinkAudienceSuffix = ":download-link"

// LinkSigner signs download links as JWTs with the active key of a KeySet
// (EdDSA, kid in the header) and verifies them with any key of the set: the
// keys every replica shares (JWT_KEYS_DIR), so that a link made by one
// replica is good on all of them, and rotating keys keeps links working for
// as long as the old key stays in the set.
type LinkSigner struct {
	keys     *KeySet
	issuer   string
	audience string
}

// NewLinkSigner returns a LinkSigner; issuer and audience are the access
// tokens' (the audience gets LinkAudienceSuffix).
func NewLinkSigner(keys *KeySet, issuer, audience string) (*LinkSigner, error) {
	if keys == nil || issuer == "" || audience == "" {
		return nil, errors.New("jwtkeys: a link signer needs keys, an issuer and an audience")
	}
	return &LinkSigner{keys: keys, issuer: issuer, audience: audience + LinkAudienceSuffix}, nil
}

// linkClaims are the claims of a download link.
type linkClaims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
	DatasetID string `json:"ds"`
	Version   int    `json:"v"`
}

// Sign signs a link valid from now until c.ExpiresAt (whole seconds).
func (s *LinkSigner) Sign(c datasetport.LinkClaims, now time.Time) (string, error) {
	if c.DatasetID == "" || c.UserID == "" || c.SessionID == "" || c.Version < 1 || !c.ExpiresAt.After(now) {
		return "", fmt.Errorf("jwtkeys: incomplete link claims %+v", c)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, linkClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer: s.issuer, Audience: jwt.ClaimStrings{s.audience}, Subject: c.UserID,
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt), IssuedAt: jwt.NewNumericDate(now),
		},
		SessionID: c.SessionID, DatasetID: c.DatasetID, Version: c.Version,
	})
	t.Header["kid"] = s.keys.activeKID
	token, err := t.SignedString(s.keys.signer)
	if err != nil {
		return "", fmt.Errorf("jwtkeys: sign link: %w", err)
	}
	return token, nil
}

// Verify checks a link's algorithm, key, signature, issuer and audience
// (dataset.ErrLinkInvalid), then its expiry (dataset.ErrLinkExpired).
func (s *LinkSigner) Verify(token string, now time.Time) (datasetport.LinkClaims, error) {
	if len(token) > maxTokenLength {
		return datasetport.LinkClaims{}, dataset.ErrLinkInvalid
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(s.issuer),
		jwt.WithAudience(s.audience),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(func() time.Time { return now }),
		// A base64 character whose unused low bits differ decodes to the same
		// bytes: strict decoding refuses it, so that no altered URL works.
		jwt.WithStrictDecoding(),
	)
	var c linkClaims
	_, err := p.ParseWithClaims(token, &c, (&Issuer{keys: s.keys}).key)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return datasetport.LinkClaims{}, kernel.Wrap(dataset.ErrLinkExpired, err)
	case err != nil:
		return datasetport.LinkClaims{}, kernel.Wrap(dataset.ErrLinkInvalid, err)
	case c.Subject == "" || c.SessionID == "" || c.DatasetID == "" || c.Version < 1:
		return datasetport.LinkClaims{}, dataset.ErrLinkInvalid
	}
	return datasetport.LinkClaims{DatasetID: c.DatasetID, Version: c.Version, UserID: c.Subject, SessionID: c.SessionID,
		ExpiresAt: c.ExpiresAt.Time}, nil
}
