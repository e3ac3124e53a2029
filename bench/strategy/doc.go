package strategy

// The document of denorm.yaml, for the strategies that assemble it in Go and
// encode it with encoding/json. Lists are never nil: an empty relation is
// [] in the document, not null.
type book struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Year      int32      `json:"year"`
	Publisher *publisher `json:"publisher"`
	Authors   []author   `json:"authors"`
	Tags      []tag      `json:"tags"`
	Reviews   []review   `json:"reviews"`
}

type publisher struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Country *country `json:"country"`
}

type country struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type author struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type tag struct {
	Name string `json:"name"`
}

type review struct {
	ID    int64 `json:"id"`
	Stars int16 `json:"stars"`
}

func newBook(id int64, title string, year int32) *book {
	return &book{ID: id, Title: title, Year: year, Authors: []author{}, Tags: []tag{}, Reviews: []review{}}
}
