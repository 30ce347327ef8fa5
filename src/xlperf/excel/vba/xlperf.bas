Attribute VB_Name = "xlperf"
' xlperf: the macros behind the buttons on the Control sheet.
'
' Each button runs one function of the Python package xlperf through the xlwings
' add-in: RunPython (Python on this PC), or RunServerPython when the Control sheet
' names an xlperf server. The add-in is called by name, so this workbook opens and
' compiles without it; a button says what to install when it is missing.
'
' You can import this file into your own workbook (VBA editor: File > Import File).
' Guide: docs/excel.md in the xlperf repository.
Option Explicit

Public Sub XlperfCheck()
    RunXlperf "import xlperf.excel; xlperf.excel.check()", "check"
End Sub

Public Sub XlperfUpdateRag()
    RunXlperf "import xlperf.excel; xlperf.excel.update_rag()", "update_rag"
End Sub

Public Sub XlperfConsolidate()
    RunXlperf "import xlperf.excel; xlperf.excel.consolidate()", "consolidate"
End Sub

Public Sub XlperfReport()
    RunXlperf "import xlperf.excel; xlperf.excel.report()", "report"
End Sub

Private Sub RunXlperf(ByVal pythonCode As String, ByVal scriptName As String)
    Dim server As String
    server = ControlValue("xlperf server")
    On Error GoTo Failed
    If server = "" Then
        Application.Run "xlwings.xlam!RunPython", pythonCode
    Else
        If Right$(server, 1) = "/" Then server = Left$(server, Len(server) - 1)
        Application.Run "xlwings.xlam!RunServerPython", server & "/xlwings/custom-scripts-call/" & scriptName
    End If
    Exit Sub
Failed:
    MsgBox "xlperf could not run: " & Err.Description & vbNewLine & vbNewLine & _
        "The buttons need the xlwings add-in (in a terminal: xlwings addin install) and " & _
        "Python with xlperf and its excel extra, or an xlperf server named " & _
        "on the Control sheet.", vbExclamation, "xlperf"
End Sub

Private Function ControlValue(ByVal label As String) As String
    Dim sht As Worksheet
    Dim cell As Range
    On Error Resume Next
    Set sht = ThisWorkbook.Worksheets("Control")
    On Error GoTo 0
    If sht Is Nothing Then Exit Function
    For Each cell In sht.Range("A1:A40").Cells
        If Not IsError(cell.Value) Then
            If LCase$(Trim$(CStr(cell.Value))) = LCase$(label) Then
                ControlValue = Trim$(CStr(cell.Offset(0, 1).Value))
                Exit Function
            End If
        End If
    Next cell
End Function
