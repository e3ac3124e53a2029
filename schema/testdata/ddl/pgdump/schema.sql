--
-- PostgreSQL database dump
--

\restrict tT4FLHQqWWhftDF9jadcmmZiI14kJDo6Dp1UcBAbKxaF3C81Ebtta1ZrZFbVoiv

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: shop; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA shop;


ALTER SCHEMA shop OWNER TO postgres;

--
-- Name: email; Type: DOMAIN; Schema: public; Owner: postgres
--

CREATE DOMAIN public.email AS text NOT NULL
	CONSTRAINT email_check CHECK ((VALUE ~~ '%@%'::text));


ALTER DOMAIN public.email OWNER TO postgres;

--
-- Name: mood; Type: TYPE; Schema: public; Owner: postgres
--

CREATE TYPE public.mood AS ENUM (
    'sad',
    'ok',
    'happy'
);


ALTER TYPE public.mood OWNER TO postgres;

--
-- Name: touch(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$ BEGIN NEW.placed := now(); RETURN NEW; END $$;


ALTER FUNCTION public.touch() OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: author; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.author (
    id bigint NOT NULL,
    name text NOT NULL,
    mail public.email,
    mood public.mood
);


ALTER TABLE public.author OWNER TO postgres;

--
-- Name: author_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

ALTER TABLE public.author ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.author_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: book; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.book (
    id integer NOT NULL,
    title text NOT NULL,
    author_id bigint,
    tags text[],
    price numeric(10,2),
    published date,
    CONSTRAINT title_not_empty CHECK ((title <> ''::text))
);


ALTER TABLE public.book OWNER TO postgres;

--
-- Name: TABLE book; Type: COMMENT; Schema: public; Owner: postgres
--

COMMENT ON TABLE public.book IS 'Books; one per edition';


--
-- Name: book_count; Type: MATERIALIZED VIEW; Schema: public; Owner: postgres
--

CREATE MATERIALIZED VIEW public.book_count AS
 SELECT count(*) AS count
   FROM public.book
  WITH NO DATA;


ALTER TABLE public.book_count OWNER TO postgres;

--
-- Name: book_id_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.book_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.book_id_seq OWNER TO postgres;

--
-- Name: book_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: postgres
--

ALTER SEQUENCE public.book_id_seq OWNED BY public.book.id;


--
-- Name: book_titles; Type: VIEW; Schema: public; Owner: postgres
--

CREATE VIEW public.book_titles AS
 SELECT b.title,
    a.name
   FROM (public.book b
     JOIN public.author a ON ((a.id = b.author_id)));


ALTER TABLE public.book_titles OWNER TO postgres;

--
-- Name: ticket_seq; Type: SEQUENCE; Schema: public; Owner: postgres
--

CREATE SEQUENCE public.ticket_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


ALTER TABLE public.ticket_seq OWNER TO postgres;

--
-- Name: Order; Type: TABLE; Schema: shop; Owner: postgres
--

CREATE TABLE shop."Order" (
    id uuid NOT NULL,
    book_id integer NOT NULL,
    placed timestamp with time zone DEFAULT now() NOT NULL
);


ALTER TABLE shop."Order" OWNER TO postgres;

--
-- Name: book id; Type: DEFAULT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.book ALTER COLUMN id SET DEFAULT nextval('public.book_id_seq'::regclass);


--
-- Name: author author_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.author
    ADD CONSTRAINT author_pkey PRIMARY KEY (id);


--
-- Name: book book_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.book
    ADD CONSTRAINT book_pkey PRIMARY KEY (id);


--
-- Name: Order Order_book_id_placed_key; Type: CONSTRAINT; Schema: shop; Owner: postgres
--

ALTER TABLE ONLY shop."Order"
    ADD CONSTRAINT "Order_book_id_placed_key" UNIQUE (book_id, placed);


--
-- Name: Order Order_pkey; Type: CONSTRAINT; Schema: shop; Owner: postgres
--

ALTER TABLE ONLY shop."Order"
    ADD CONSTRAINT "Order_pkey" PRIMARY KEY (id);


--
-- Name: book_published; Type: INDEX; Schema: public; Owner: postgres
--

CREATE INDEX book_published ON public.book USING btree (published);


--
-- Name: book_title_author; Type: INDEX; Schema: public; Owner: postgres
--

CREATE UNIQUE INDEX book_title_author ON public.book USING btree (title, author_id);


--
-- Name: Order order_touch; Type: TRIGGER; Schema: shop; Owner: postgres
--

CREATE TRIGGER order_touch BEFORE UPDATE ON shop."Order" FOR EACH ROW EXECUTE FUNCTION public.touch();


--
-- Name: book book_author_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
--

ALTER TABLE ONLY public.book
    ADD CONSTRAINT book_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.author(id);


--
-- Name: Order Order_book_id_fkey; Type: FK CONSTRAINT; Schema: shop; Owner: postgres
--

ALTER TABLE ONLY shop."Order"
    ADD CONSTRAINT "Order_book_id_fkey" FOREIGN KEY (book_id) REFERENCES public.book(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict tT4FLHQqWWhftDF9jadcmmZiI14kJDo6Dp1UcBAbKxaF3C81Ebtta1ZrZFbVoiv

