package dataset

import (
	"time"

	"github.com/civicdatatrust/civictrust/domain/kernel"
)

// MaxLinkTTL is the longest a download link lives: a link is a bearer
// credential that anything it passes through (a browser's history, a proxy's
// log) may keep.
const MaxLinkTTL = 5 * time.Minute

// Errors of download links. Every refusal is a 403: a link is a credential,
// and what it names is none of the bearer's business once it is refused.
var (
	ErrLinkInvalid = kernel.NewError(kernel.KindForbidden, "download_link_invalid", "This download link is not valid")
	ErrLinkExpired = kernel.NewError(kernel.KindForbidden, "download_link_expired", "This download link has expired: ask for a new one")
	// ErrLinkRevoked is a link whose user may no longer download the file:
	// signed out, disabled or deleted, out of the community, or without a
	// grant any more.
	ErrLinkRevoked = kernel.NewError(kernel.KindForbidden, "download_link_revoked", "The user this download link was made for may no longer download this file")
)
