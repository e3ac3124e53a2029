package bench

//go:generate go run github.com/denormgen/denormgen/cmd/denormgen generate -f denorm.yaml
