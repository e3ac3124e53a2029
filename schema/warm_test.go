package schema

import (
	_ "github.com/dave/jennifer/jen"
	_ "github.com/goccy/go-yaml"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/pganalyze/pg_query_go/v6"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/rogpeppe/go-internal/testscript"
	_ "go.mongodb.org/mongo-driver/v2/mongo"
	_ "golang.org/x/sync/singleflight"
)
