SELECT 'it''s;', E'\';\\', U&'d\0061t;', B'01;', X'1F';
SELECT E'a'
  'b\';';
