;;  ; -- empty statements
