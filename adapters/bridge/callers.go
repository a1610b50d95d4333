package bridge

import (
	"context"

	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/identityport"
)

// DatasetCallers tells the datasets context who a download link's user is
// now: their session as a bearer token of it would give it, with roles and
// modules resolved by the access context.
type DatasetCallers struct {
	auth   identityport.AuthService
	access accessport.Service
}

var _ datasetport.Callers = DatasetCallers{}

// NewDatasetCallers returns the datasets context's view of callers.
func NewDatasetCallers(auth identityport.AuthService, access accessport.Service) DatasetCallers {
	return DatasetCallers{auth: auth, access: access}
}

// Caller returns the principal of userID's session sessionID.
func (c DatasetCallers) Caller(ctx context.Context, userID, sessionID string) (kernel.Principal, error) {
	p, err := c.auth.SessionPrincipal(ctx, userID, sessionID)
	if err != nil {
		return kernel.Principal{}, err
	}
	return c.access.Authorize(ctx, p)
}
