-- vidb:no-transaction
/* outer /* inner ; */ still ; */
SELECT 1 -- it's; "odd
;
-- trailing
