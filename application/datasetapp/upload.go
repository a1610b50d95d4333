package datasetapp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// A file reaches a dataset along one life cycle, whichever way it arrives:
// begin (the caller's rights checked, and for a resumable upload its size
// and metadata), store the bytes (streamed to the blob store, or staged in
// pieces), commit (the dataset or its next version created as POST
// /datasets/create does it, rights checked again, the same audit events) or
// abort (the bytes deleted). A fileUpload is that cycle within one request;
// resumable.go runs it across requests.

// errUploadState is a FileUpload used out of order: a bug of the caller.
var errUploadState = errors.New("datasetapp: file upload used out of order")

// fileUpload is one file on its way into a dataset within one request.
type fileUpload struct {
	svc    *Service
	p      kernel.Principal
	target datasetport.UploadTarget
	file   dataset.File // BlobKey set once stored
	ended  bool         // committed or aborted
}

// BeginUpload checks that the caller may make what the upload becomes.
func (s *Service) BeginUpload(ctx context.Context, p kernel.Principal, t datasetport.UploadTarget) (datasetport.FileUpload, error) {
	if err := s.checkTarget(ctx, p, t); err != nil {
		return nil, err
	}
	return &fileUpload{svc: s, p: p, target: t}, nil
}

// Store streams the file into the blob store, its type decided from its
// first bytes.
func (u *fileUpload) Store(ctx context.Context, r io.Reader, filename, declaredType string) error {
	if u.ended || u.file.BlobKey != "" {
		return errUploadState
	}
	br := bufio.NewReaderSize(r, 4096)
	head, _ := br.Peek(dataset.HeadSize) // a shorter file is all head; a read error shows in Put
	contentType := u.svc.deps.ContentTypes.Detect(head, filename, declaredType)
	info, err := u.svc.deps.Blobs.Put(ctx, br, u.svc.set.MaxUploadBytes)
	if err != nil {
		if errors.Is(err, platformport.ErrBlobTooLarge) {
			return u.svc.tooLarge()
		}
		return err
	}
	u.file = dataset.File{
		Filename: dataset.CleanFilename(filename), ContentType: contentType,
		Size: info.Size, SHA256: info.SHA256, BlobKey: info.Key,
	}
	if info.Size == 0 {
		u.Abort(ctx)
		return dataset.ErrEmptyFile
	}
	return nil
}

// tooLarge is a file over MAX_UPLOAD_BYTES.
func (s *Service) tooLarge() error {
	return platformport.ErrBlobTooLarge.WithMessage(fmt.Sprintf("File too large: the limit is %d bytes", s.set.MaxUploadBytes))
}

// Commit attaches the stored file; when that fails the file is dropped.
func (u *fileUpload) Commit(ctx context.Context, in datasetport.CreateInput) (*dataset.Dataset, error) {
	meta := kernel.RequestMetaFrom(ctx)
	if u.ended || u.file.BlobKey == "" {
		return nil, errUploadState
	}
	d, err := u.svc.attach(ctx, u.p, u.target, in, u.file, meta)
	if err != nil {
		u.Abort(ctx)
		return nil, err
	}
	u.ended = true
	return d, nil
}

// Abort drops the stored file, unless the upload ended already.
func (u *fileUpload) Abort(ctx context.Context) {
	if u.ended {
		return
	}
	u.ended = true
	u.svc.discard(ctx, u.file.BlobKey)
}
