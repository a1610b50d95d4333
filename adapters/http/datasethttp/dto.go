package datasethttp

import (
	"strconv"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type fileResponse struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

func toFileResponse(f dataset.File) fileResponse {
	return fileResponse{Filename: f.Filename, ContentType: f.ContentType, Size: f.Size, SHA256: f.SHA256}
}

type datasetResponse struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Description *string      `json:"description"`
	CommunityID *string      `json:"community_id"`
	OwnerID     string       `json:"owner_id"`
	Visibility  string       `json:"visibility"`
	Tags        []string     `json:"tags"`
	License     *string      `json:"license"`
	File        fileResponse `json:"file"`
	Version     int          `json:"version"`
	CreatedAt   string       `json:"created_at"`
	UpdatedAt   string       `json:"updated_at"`
}

func toDatasetResponse(d *dataset.Dataset) datasetResponse {
	tags := d.Tags()
	if tags == nil {
		tags = []string{}
	}
	return datasetResponse{
		ID: d.ID(), Title: d.Title(), Description: optional(d.Description()), CommunityID: optional(d.CommunityID()),
		OwnerID: d.OwnerID(), Visibility: string(d.Visibility()), Tags: tags, License: optional(d.License()),
		File: toFileResponse(d.File()), Version: d.Version(), CreatedAt: httpserver.FormatTime(d.CreatedAt()), UpdatedAt: httpserver.FormatTime(d.UpdatedAt()),
	}
}

type versionResponse struct {
	Version   int          `json:"version"`
	File      fileResponse `json:"file"`
	CreatedBy string       `json:"created_by"`
	CreatedAt string       `json:"created_at"`
}

type accessEventResponse struct {
	ID         string            `json:"id"`
	Seq        int64             `json:"seq"`
	At         string            `json:"at"`
	ActorID    *string           `json:"actor_id"`
	Action     string            `json:"action"`
	TargetType string            `json:"target_type"`
	TargetID   string            `json:"target_id"`
	IP         string            `json:"ip"`
	UserAgent  string            `json:"user_agent"`
	RequestID  string            `json:"request_id"`
	Outcome    string            `json:"outcome"`
	PrevHash   string            `json:"prev_hash"`
	Hash       string            `json:"hash"`
	Details    map[string]string `json:"details"`
}

func toAccessEventResponse(e datasetport.AccessEntry) accessEventResponse {
	details := map[string]string{"version": strconv.Itoa(e.Version)}
	if e.GrantID != "" {
		details["grant_id"] = e.GrantID
	}
	return accessEventResponse{ID: e.ID, Seq: e.Seq, At: httpserver.FormatTime(e.At), ActorID: optional(e.ActorID), Action: e.Action,
		TargetType: "dataset", TargetID: e.DatasetID, IP: e.IP, UserAgent: e.UserAgent, RequestID: e.RequestID,
		Outcome: e.Outcome, PrevHash: e.PrevHash, Hash: e.Hash, Details: details}
}
