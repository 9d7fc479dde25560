-- header

--vidb: no-transaction
SELECT 1;
-- vidb:notransaction
/* vidb:no-transaction */
