\restrict abc123
-- vidb:no-transaction
COPY t FROM stdin;
1
\.
\unrestrict abc123
