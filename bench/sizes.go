package bench

import "fmt"

// Sizes are the row counts of the tables the dataset generates directly;
// join tables and reviews follow from them (2.5 authors, 3 tags and 5
// reviews per book on average).
type Sizes struct {
	Countries  int
	Publishers int
	Authors    int
	Books      int
	Tags       int
}

// ScaleSizes is the dataset of the issue at the given scale: scale 1 has
// 100,000 books, 20,000 authors and 1,000 publishers. Countries and tags do
// not grow with the scale: the world has only so many.
func ScaleSizes(scale int) Sizes {
	return Sizes{
		Countries:  50,
		Publishers: 1_000 * scale,
		Authors:    20_000 * scale,
		Books:      100_000 * scale,
		Tags:       500,
	}
}

func (s Sizes) validate() error {
	switch {
	case s.Countries < 1, s.Publishers < 1, s.Authors < 1, s.Books < 1, s.Tags < 1:
		return fmt.Errorf("dataset sizes %+v: every table needs at least one row", s)
	case s.Countries > 26*26:
		return fmt.Errorf("dataset sizes: %d countries do not fit two-letter codes", s.Countries)
	}
	return nil
}

func (s Sizes) String() string {
	return fmt.Sprintf("%d countries, %d publishers, %d authors, %d books, %d tags",
		s.Countries, s.Publishers, s.Authors, s.Books, s.Tags)
}
