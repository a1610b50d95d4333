// Package datasetapp implements the dataset use cases: streamed uploads,
// versions, visibility, downloads and the per-dataset access log.
package datasetapp

import (
	"context"
	"errors"
	"time"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// errNotManager is a visible dataset the caller may not change.
var errNotManager = kernel.ErrForbidden.WithMessage("Only the owner, community admins and administrators may change this dataset")

// Deps are the driven ports of the datasets context.
type Deps struct {
	Datasets    datasetport.DatasetRepository
	Blobs       platformport.BlobStore
	Communities datasetport.Communities
	AccessLog   datasetport.AccessLog
	// Grants says who holds an active grant on a restricted dataset (nil:
	// nobody does).
	Grants datasetport.Grants
	// ContentTypes decides what type a stored file is served as.
	ContentTypes datasetport.ContentTypes
	// Staging and Uploads keep resumable uploads: their bytes and their
	// records (nil: no resumable uploads).
	Staging platformport.StagingStore
	Uploads datasetport.UploadRepository
	// Links signs download links and Callers says who their users are now
	// (nil: no download links).
	Links    datasetport.LinkSigner
	Callers  datasetport.Callers
	Clock    platformport.Clock
	Reporter platformport.ErrorReporter
	// Tx writes a change and its access-log entry (an audit event) together
	// (nil: one after the other).
	Tx platformport.Transactor
}

// Settings are the service's limits.
type Settings struct {
	// MaxUploadBytes is the largest file (MAX_UPLOAD_BYTES).
	MaxUploadBytes int64
	// UploadExpiry is how long a resumable upload may take (UPLOAD_EXPIRY;
	// zero: DefaultUploadExpiry).
	UploadExpiry time.Duration
	// LinkTTL is the life of a download link (DOWNLOAD_LINK_TTL; zero or
	// more than dataset.MaxLinkTTL: dataset.MaxLinkTTL).
	LinkTTL time.Duration
}

// DefaultUploadExpiry is the UploadExpiry of Settings that leave it zero.
const DefaultUploadExpiry = 24 * time.Hour

// Service implements datasetport.Service.
type Service struct {
	deps Deps
	set  Settings
}

var _ datasetport.Service = (*Service)(nil)

// New builds the service.
func New(d Deps, s Settings) *Service {
	if s.UploadExpiry <= 0 {
		s.UploadExpiry = DefaultUploadExpiry
	}
	if s.LinkTTL <= 0 || s.LinkTTL > dataset.MaxLinkTTL {
		s.LinkTTL = dataset.MaxLinkTTL
	}
	return &Service{deps: d, set: s}
}

func (s *Service) now() time.Time { return kernel.Truncate(s.deps.Clock.Now()) }

func (s *Service) report(ctx context.Context, op string, err error) {
	if err != nil && s.deps.Reporter != nil {
		s.deps.Reporter.Report(ctx, op, err)
	}
}

// discard deletes a stored file that will not be attached. It runs even
// when the request's context is cancelled (a client that went away).
func (s *Service) discard(ctx context.Context, blobKey string) {
	if blobKey == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	s.report(ctx, "discard uploaded file", s.deps.Blobs.Delete(ctx, blobKey))
}

// viewer resolves what the visibility rule needs to know about p and d.
func (s *Service) viewer(ctx context.Context, p kernel.Principal, d *dataset.Dataset) (dataset.Viewer, error) {
	v := dataset.Viewer{UserID: p.UserID, GlobalAdmin: p.IsAdmin()}
	if d.CommunityID() != "" && !v.GlobalAdmin && d.OwnerID() != p.UserID {
		m, err := s.deps.Communities.Membership(ctx, d.CommunityID(), p.UserID)
		if err != nil {
			return v, err
		}
		v.CommunityMember, v.CommunityAdmin = m.Member, m.Admin
	}
	return v, nil
}

// load returns a dataset with the caller's rights; one the caller may not view is not found.
func (s *Service) load(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, dataset.Rights, error) {
	d, rights, _, err := s.loadForDownload(ctx, p, id, false)
	return d, rights, err
}

// loadForDownload is load that, when withGrant is set and whether the caller
// may download depends on a grant, asks governance, and returns the id of the
// active grant that lets the caller download ("" for none).
func (s *Service) loadForDownload(ctx context.Context, p kernel.Principal, id string, withGrant bool) (*dataset.Dataset, dataset.Rights, string, error) {
	d, err := s.deps.Datasets.Get(ctx, id)
	if err != nil {
		return nil, dataset.Rights{}, "", err
	}
	v, err := s.viewer(ctx, p, d)
	if err != nil {
		return nil, dataset.Rights{}, "", err
	}
	grantID := ""
	if withGrant && s.deps.Grants != nil && dataset.NeedsGrant(v, d) {
		if grantID, err = s.deps.Grants.ActiveGrant(ctx, d.ID(), p.UserID); err != nil {
			return nil, dataset.Rights{}, "", err
		}
		v.HasActiveGrant = grantID != ""
	}
	rights := dataset.RightsOf(v, d)
	if !rights.View {
		return nil, rights, "", dataset.ErrNotFound
	}
	return d, rights, grantID, nil
}

// Rights returns a dataset with what the caller may do with it, an active grant included.
func (s *Service) Rights(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, dataset.Rights, error) {
	d, rights, _, err := s.loadForDownload(ctx, p, id, true)
	return d, rights, err
}

func (s *Service) log(ctx context.Context, d *dataset.Dataset, p kernel.Principal, action string, version int, meta kernel.RequestMeta) {
	s.logGrant(ctx, d, p, action, version, "", meta)
}

// logGrant records an access made under a grant (grantID "" for none).
func (s *Service) logGrant(ctx context.Context, d *dataset.Dataset, p kernel.Principal, action string, version int, grantID string, meta kernel.RequestMeta) {
	e := s.entry(d, p, action, version, grantID, meta)
	s.report(ctx, "record dataset access", s.deps.AccessLog.Record(context.WithoutCancel(ctx), e))
}

func (s *Service) entry(d *dataset.Dataset, p kernel.Principal, action string, version int, grantID string, meta kernel.RequestMeta) datasetport.AccessEntry {
	return datasetport.AccessEntry{DatasetID: d.ID(), ActorID: p.UserID, Action: action, Version: version, GrantID: grantID,
		IP: meta.IP, UserAgent: meta.UserAgent, RequestID: meta.RequestID, At: s.now()}
}

// logged makes a change with write and logs it as action in one transaction,
// so that no record is kept without its entry in the trail, nor the other
// way round; write returns the dataset and the version the entry names.
func (s *Service) logged(ctx context.Context, p kernel.Principal, action string, meta kernel.RequestMeta,
	write func(ctx context.Context) (*dataset.Dataset, int, error)) (*dataset.Dataset, error) {
	var d *dataset.Dataset
	err := s.atomically(ctx, func(ctx context.Context) error {
		var version int
		var err error
		if d, version, err = write(ctx); err != nil {
			return err
		}
		return s.deps.AccessLog.Record(ctx, s.entry(d, p, action, version, "", meta))
	})
	return d, err
}

func (s *Service) atomically(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.deps.Tx == nil {
		return fn(ctx)
	}
	return s.deps.Tx.Atomically(ctx, fn)
}

// checkTarget refuses an upload the caller could not attach, before any
// byte is stored: a new version needs the right to change the dataset, a
// new dataset in a community needs a member.
func (s *Service) checkTarget(ctx context.Context, p kernel.Principal, t datasetport.UploadTarget) error {
	if t.DatasetID != "" {
		_, rights, err := s.load(ctx, p, t.DatasetID)
		if err != nil {
			return err
		}
		if !rights.Change {
			return errNotManager
		}
		return nil
	}
	if t.CommunityID != "" {
		return s.checkCommunity(ctx, p, t.CommunityID)
	}
	return nil
}

// checkCommunity requires the caller to belong to an existing community.
func (s *Service) checkCommunity(ctx context.Context, p kernel.Principal, communityID string) error {
	m, err := s.deps.Communities.Membership(ctx, communityID, p.UserID)
	if err != nil {
		return err
	}
	if !m.Exists {
		return dataset.ErrCommunityNotFound
	}
	if !m.Member && !m.Admin && !p.IsAdmin() {
		return dataset.ErrNotCommunityMember
	}
	return nil
}

// attach makes a stored file what the upload's target says, with every rule
// checked again (rights may have changed while the bytes arrived): a new
// dataset with in, or the next version of t.DatasetID. The file stays the
// caller's to discard when attach fails.
func (s *Service) attach(ctx context.Context, p kernel.Principal, t datasetport.UploadTarget, in datasetport.CreateInput,
	f dataset.File, meta kernel.RequestMeta,
) (*dataset.Dataset, error) {
	if t.DatasetID != "" {
		return s.addVersion(ctx, p, t.DatasetID, f, meta)
	}
	d, err := s.create(ctx, p, in, f, meta)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// checkNew refuses the metadata of a new dataset that create would refuse
// for itself, without asking the store.
func checkNew(in datasetport.CreateInput) error {
	vis := dataset.DefaultVisibility(in.CommunityID)
	if in.Visibility != nil {
		vis = *in.Visibility
	}
	return dataset.CheckCommunity(vis, in.CommunityID)
}

func (s *Service) create(ctx context.Context, p kernel.Principal, in datasetport.CreateInput, f dataset.File, meta kernel.RequestMeta) (*dataset.Dataset, error) {
	if in.CommunityID != "" {
		if err := s.checkCommunity(ctx, p, in.CommunityID); err != nil {
			return nil, err
		}
	}
	if err := checkNew(in); err != nil {
		return nil, err
	}
	draft := dataset.Draft{Description: in.Description, CommunityID: in.CommunityID, OwnerID: p.UserID,
		Tags: in.Tags, License: in.License}
	if in.Visibility != nil {
		draft.Visibility = *in.Visibility
	}
	if in.Title != nil {
		draft.Title = *in.Title
	}
	now := s.now()
	d, err := dataset.New(kernel.NewID(now), draft, f, now)
	if err != nil {
		return nil, err
	}
	return s.logged(ctx, p, "create", meta, func(ctx context.Context) (*dataset.Dataset, int, error) {
		return d, d.Version(), s.deps.Datasets.Create(ctx, d)
	})
}

// addVersion attaches a stored file as the next version.
func (s *Service) addVersion(ctx context.Context, p kernel.Principal, id string, f dataset.File, meta kernel.RequestMeta) (*dataset.Dataset, error) {
	_, rights, err := s.load(ctx, p, id)
	if err == nil && !rights.Change {
		err = errNotManager
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	d, err := s.logged(ctx, p, "version", meta, func(ctx context.Context) (*dataset.Dataset, int, error) {
		var added dataset.Version
		d, err := s.deps.Datasets.Update(ctx, id, func(d *dataset.Dataset) error {
			added = d.AddVersion(f, p.UserID, now)
			return nil
		})
		return d, added.Number, err
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// List returns the datasets the caller may see.
func (s *Service) List(ctx context.Context, p kernel.Principal, f datasetport.Filter, page, limit int) ([]*dataset.Dataset, int64, error) {
	f.Scope = datasetport.Scope{All: p.IsAdmin(), ViewerID: p.UserID}
	if !f.Scope.All {
		cs, err := s.deps.Communities.CommunitiesOf(ctx, p.UserID)
		if err != nil {
			return nil, 0, err
		}
		f.Scope.Communities = cs
	}
	return s.deps.Datasets.List(ctx, f, kernel.PageOffset(page, limit), limit)
}

// Get returns a dataset's metadata and records the view.
func (s *Service) Get(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, error) {
	meta := kernel.RequestMetaFrom(ctx)
	d, _, err := s.load(ctx, p, id)
	if err != nil {
		return nil, err
	}
	s.log(ctx, d, p, "view", d.Version(), meta)
	return d, nil
}

// Versions returns a dataset with its version history.
func (s *Service) Versions(ctx context.Context, p kernel.Principal, id string) (*dataset.Dataset, error) {
	d, _, err := s.load(ctx, p, id)
	return d, err
}

// Update changes metadata.
func (s *Service) Update(ctx context.Context, p kernel.Principal, id string, in datasetport.UpdateInput) (*dataset.Dataset, error) {
	meta := kernel.RequestMetaFrom(ctx)
	_, rights, err := s.load(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !rights.Change {
		return nil, errNotManager
	}
	now := s.now()
	return s.logged(ctx, p, "update", meta, func(ctx context.Context) (*dataset.Dataset, int, error) {
		d, err := s.update(ctx, id, in, now)
		if err != nil {
			return nil, 0, err
		}
		return d, d.Version(), nil
	})
}

func (s *Service) update(ctx context.Context, id string, in datasetport.UpdateInput, now time.Time) (*dataset.Dataset, error) {
	return s.deps.Datasets.Update(ctx, id, func(d *dataset.Dataset) error {
		return d.ChangeMetadata(dataset.MetadataChange{Title: in.Title, Description: in.Description,
			Visibility: in.Visibility, Tags: in.Tags, License: in.License}, now)
	})
}

// Delete removes a dataset, then its blobs: a failure part-way can leave an
// unreferenced blob, never a record whose file is gone. The blobs are those of
// the record as deleted, so a version added since the load goes too.
func (s *Service) Delete(ctx context.Context, p kernel.Principal, id string) error {
	meta := kernel.RequestMetaFrom(ctx)
	_, rights, err := s.load(ctx, p, id)
	if err != nil {
		return err
	}
	if !rights.Delete {
		return kernel.ErrForbidden.WithMessage("Only the owner, community admins and administrators may delete this dataset")
	}
	d, err := s.logged(ctx, p, "delete", meta, func(ctx context.Context) (*dataset.Dataset, int, error) {
		d, err := s.deps.Datasets.Delete(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		return d, d.Version(), nil
	})
	if err != nil {
		return err
	}
	bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	defer cancel()
	for _, key := range d.BlobKeys() {
		s.report(bctx, "delete dataset blob", s.deps.Blobs.Delete(bctx, key))
	}
	return nil
}

// Open resolves a version and, when asked, opens its bytes for a range. A
// restricted dataset's file needs an active grant of those who do not manage
// it (dataset.ErrGrantRequired); a download under a grant is logged with it.
func (s *Service) Open(ctx context.Context, p kernel.Principal, id string, version int, offset, length int64, open bool) (datasetport.Download, error) {
	meta := kernel.RequestMetaFrom(ctx)
	d, rights, grantID, err := s.loadForDownload(ctx, p, id, true)
	if err != nil {
		return datasetport.Download{}, err
	}
	if !rights.Download {
		return datasetport.Download{}, dataset.ErrGrantRequired
	}
	v, ok := d.VersionNumbered(d.Version())
	if version != 0 {
		v, ok = d.VersionNumbered(version)
	}
	if !ok {
		return datasetport.Download{}, dataset.ErrVersionNotFound
	}
	dl := datasetport.Download{Dataset: d, Version: v, Offset: offset, Length: length}
	if !open {
		return dl, nil
	}
	if offset < 0 || offset > v.File.Size || (offset == v.File.Size && v.File.Size > 0) {
		return datasetport.Download{}, dataset.ErrRangeNotSatisfied
	}
	if length < 0 || offset+length > v.File.Size {
		length = v.File.Size - offset
	}
	body, err := s.deps.Blobs.Open(ctx, v.File.BlobKey, offset, length)
	if err != nil {
		if errors.Is(err, platformport.ErrBlobNotFound) {
			// A delete that ran since the load removed the record first, then
			// its blobs: the dataset is gone, not broken.
			if _, gerr := s.deps.Datasets.Get(ctx, id); kernel.KindOf(gerr) == kernel.KindNotFound {
				return datasetport.Download{}, dataset.ErrNotFound
			}
			return datasetport.Download{}, kernel.Wrap(kernel.NewError(kernel.KindInternal, "blob_missing", "Internal Server Error"), err)
		}
		return datasetport.Download{}, err
	}
	dl.Body, dl.Length = body, length
	s.logGrant(ctx, d, p, "download", v.Number, grantID, meta)
	return dl, nil
}

// AccessLog lists who viewed, downloaded or changed a dataset.
func (s *Service) AccessLog(ctx context.Context, p kernel.Principal, id string, page, limit int) ([]datasetport.AccessEntry, int64, error) {
	_, rights, err := s.load(ctx, p, id)
	if err != nil {
		return nil, 0, err
	}
	if !rights.ReadLog {
		return nil, 0, kernel.ErrForbidden.WithMessage("Only the owner, community admins and administrators may read the access log")
	}
	return s.deps.AccessLog.List(ctx, id, kernel.PageOffset(page, limit), limit)
}
