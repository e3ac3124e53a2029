package mongobackend

import (
	"context"
	"errors"
	"fmt"

	"github.com/denormgen/denormgen/runtime/denorm"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// duplicateKey is the server's code for a duplicate _id.
const duplicateKey = 11000

// Put stores docs, each unless a higher version (document or tombstone) is
// stored. Documents over the size limit are deleted at their version instead
// and reported with a denorm.TooLargeError.
//
// Each document is an upsert filtered on {_id: key, v: {$lte: version}}. When
// a higher version is stored the filter matches nothing and the upsert's
// insert fails on the duplicate _id: that is the guard refusing the write.
// But two first writes of a key race the same way, and the loser may hold
// the higher version; so writes refused with a duplicate key are retried
// once, when the document surely exists and the filter decides.
func (b *Backend) Put(ctx context.Context, collection string, docs []denorm.Doc) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mongobackend put: %w", err)
	}
	if err := denorm.CheckDocs(collection, docs); err != nil {
		return fmt.Errorf("mongobackend put: %w", err)
	}
	coll, err := b.collection(collection)
	if err != nil {
		return fmt.Errorf("mongobackend put: %w", err)
	}
	docs, over, tooLarge := denorm.SplitTooLarge(collection, docs, b.maxSize)
	for _, d := range over {
		if err := b.Delete(ctx, collection, []string{d.Key}, d.Version); err != nil {
			return errors.Join(fmt.Errorf("mongobackend put: delete oversized: %w", err), tooLarge)
		}
	}
	// Unordered writes of one key would race each other.
	docs = denorm.Latest(docs)
	models := make([]mongo.WriteModel, 0, len(docs))
	for _, d := range docs {
		raw, err := toBSON(collection, d)
		if err != nil {
			return errors.Join(fmt.Errorf("mongobackend put: %w", err), tooLarge)
		}
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: d.Key}, {Key: "v", Value: bson.D{{Key: "$lte", Value: d.Version}}}}).
			SetUpdate(bson.D{{Key: "$set", Value: bson.D{
				{Key: "v", Value: d.Version}, {Key: "doc", Value: raw}, {Key: "deleted", Value: false},
			}}}).
			SetUpsert(true))
	}
	if err := b.write(ctx, coll, models); err != nil {
		return errors.Join(fmt.Errorf("mongobackend put: collection %q: %w", collection, err), tooLarge)
	}
	return tooLarge
}

// Delete leaves tombstones at version for keys whose stored version is not
// higher, with the same duplicate-key handling as Put.
func (b *Backend) Delete(ctx context.Context, collection string, keys []string, version int64) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("mongobackend delete: %w", err)
	}
	if err := denorm.CheckKeys(collection, keys); err != nil {
		return fmt.Errorf("mongobackend delete: %w", err)
	}
	coll, err := b.collection(collection)
	if err != nil {
		return fmt.Errorf("mongobackend delete: %w", err)
	}
	seen := make(map[string]bool, len(keys))
	models := make([]mongo.WriteModel, 0, len(keys))
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		models = append(models, mongo.NewUpdateOneModel().
			SetFilter(bson.D{{Key: "_id", Value: k}, {Key: "v", Value: bson.D{{Key: "$lte", Value: version}}}}).
			SetUpdate(bson.D{
				{Key: "$set", Value: bson.D{{Key: "v", Value: version}, {Key: "deleted", Value: true}}},
				{Key: "$unset", Value: bson.D{{Key: "doc", Value: ""}}},
			}).
			SetUpsert(true))
	}
	if err := b.write(ctx, coll, models); err != nil {
		return fmt.Errorf("mongobackend delete: collection %q: %w", collection, err)
	}
	return nil
}

// write runs models in unordered bulks, retrying once those refused with a
// duplicate key (see Put); a second refusal means a higher version is stored.
func (b *Backend) write(ctx context.Context, coll *mongo.Collection, models []mongo.WriteModel) error {
	for start := 0; start < len(models); start += b.batch {
		chunk := models[start:min(start+b.batch, len(models))]
		for attempt := 0; attempt < 2 && len(chunk) > 0; attempt++ {
			retry, err := bulk(ctx, coll, chunk)
			if err != nil {
				return err
			}
			chunk = retry
		}
	}
	return nil
}

// bulk runs one unordered BulkWrite and returns the models refused with a
// duplicate key; any other failure is an error.
func bulk(ctx context.Context, coll *mongo.Collection, models []mongo.WriteModel) ([]mongo.WriteModel, error) {
	_, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false))
	if err == nil {
		return nil, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return nil, err
	}
	var dup []mongo.WriteModel
	for _, we := range bwe.WriteErrors {
		if we.Code != duplicateKey {
			return nil, err
		}
		dup = append(dup, models[we.Index])
	}
	return dup, nil
}
